/**
 * What `list`, `status` and `events` print, from the objects as the API returns them. Pure: the
 * objects and the time in, text out.
 */
import { Cell, ageOf, paint, stateStyle, table, timeOf } from './format';
import { SparkApplication, ScheduledSparkApplication, SparkConnect } from '../api';
import { SPARK_CONTAINERS, connectUrl } from '../core';

/** An Event as the API returns it (core/v1), the fields sparkctl reads. */
export interface KubeEvent {
  readonly type?: string;
  readonly reason?: string;
  readonly message?: string;
  readonly count?: number;
  readonly lastTimestamp?: string | null;
  readonly eventTime?: string | null;
  readonly firstTimestamp?: string | null;
  readonly metadata?: { creationTimestamp?: string };
  readonly involvedObject?: { kind?: string; name?: string };
}

/** A driver pod as the API returns it, the fields sparkctl reads. */
export interface DriverPod {
  readonly status?: {
    phase?: string;
    containerStatuses?: Array<{ name: string; state?: { waiting?: { reason?: string }; terminated?: { reason?: string; exitCode?: number } } }>;
  };
}

/** When an Event last happened. */
export function eventTime(event: KubeEvent): string | undefined {
  return event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata?.creationTimestamp ?? undefined;
}

/** Events oldest first (by when they last happened). */
export function sortEvents(events: readonly KubeEvent[]): KubeEvent[] {
  return [...events].sort((a, b) => (Date.parse(eventTime(a) ?? '') || 0) - (Date.parse(eventTime(b) ?? '') || 0));
}

function stateOf(app: SparkApplication): string {
  return app.status?.applicationState?.state ?? '';
}

/** What the tables of `list` show: the namespace column with -A, the wide columns with -o wide. */
export interface ListColumns {
  readonly namespaces: boolean;
  readonly wide?: boolean;
}

/** `list`'s header: upstream's printer columns (state, attempts, start, finish, age); wide adds the driver, the submission and the error. */
export function applicationsHeader(options: ListColumns): string[] {
  return [
    ...options.namespaces ? ['NAMESPACE'] : [],
    'NAME', 'STATE', 'ATTEMPTS', 'START', 'FINISH', 'AGE',
    ...options.wide ? ['DRIVER', 'SUBMISSION ID', 'ERROR'] : [],
  ];
}

/** One application's row of `list`. */
export function applicationRow(app: SparkApplication, options: ListColumns & { now: number }): Array<string | Cell> {
  const state = stateOf(app);
  return [
    ...options.namespaces ? [app.metadata.namespace ?? ''] : [],
    app.metadata.name ?? '',
    { text: state || '<none>', style: stateStyle(state) },
    String(app.status?.executionAttempts ?? 0),
    timeOf(app.status?.lastSubmissionAttemptTime),
    timeOf(app.status?.terminationTime),
    ageOf(app.metadata.creationTimestamp, options.now),
    ...options.wide ? [
      app.status?.driverInfo?.podName ?? '<none>',
      app.status?.submissionID ?? '<none>',
      oneLine(app.status?.applicationState?.errorMessage ?? ''),
    ] : [],
  ];
}

/** `list`'s table. */
export function applicationsTable(apps: readonly SparkApplication[],
  options: { now: number; wide: boolean; namespaces: boolean; color: boolean }): string {
  return table(applicationsHeader(options), apps.map((app) => applicationRow(app, options)), options.color);
}

/** `list --scheduled`'s header: schedule, suspension, state, last run (time and name), next run, age. */
export function scheduledHeader(options: ListColumns): string[] {
  return [...options.namespaces ? ['NAMESPACE'] : [], 'NAME', 'SCHEDULE', 'SUSPEND', 'STATE', 'LAST RUN', 'LAST RUN NAME', 'NEXT RUN', 'AGE'];
}

/** One ScheduledSparkApplication's row of `list --scheduled`. */
export function scheduledRow(item: ScheduledSparkApplication, options: ListColumns & { now: number }): Array<string | Cell> {
  const state = item.status?.scheduleState ?? '';
  return [
    ...options.namespaces ? [item.metadata.namespace ?? ''] : [],
    item.metadata.name ?? '',
    item.spec?.schedule ?? '',
    item.spec?.suspend ? 'true' : 'false',
    { text: state || '<none>', style: stateStyle(state) },
    timeOf(item.status?.lastRun),
    item.status?.lastRunName || '<none>',
    timeOf(item.status?.nextRun),
    ageOf(item.metadata.creationTimestamp, options.now),
  ];
}

/** `list --scheduled`'s table. */
export function scheduledTable(items: readonly ScheduledSparkApplication[],
  options: { now: number; namespaces: boolean; color: boolean }): string {
  return table(scheduledHeader(options), items.map((item) => scheduledRow(item, options)), options.color);
}

/** A SparkConnect's executors by phase, most first: `2 running, 1 pending`. */
function executorsByPhase(connect: SparkConnect): string {
  const counts = Object.entries(connect.status?.executors ?? {}).filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  return counts.length === 0 ? '<none>' : counts.map(([phase, n]) => `${n} ${phase}`).join(', ');
}

/** The address clients of a SparkConnect connect to, once its status names the Service. */
function connectAddress(connect: SparkConnect): string {
  const service = connect.status?.server?.serviceName;
  return service ? connectUrl(service, connect.metadata.namespace ?? '') : '<none>';
}

/** `list --connect`'s header: state, server pod, address, executors, age. */
export function connectHeader(options: ListColumns): string[] {
  return [...options.namespaces ? ['NAMESPACE'] : [], 'NAME', 'STATE', 'SERVER POD', 'ADDRESS', 'EXECUTORS', 'AGE'];
}

/** One SparkConnect's row of `list --connect`. */
export function connectRow(connect: SparkConnect, options: ListColumns & { now: number }): Array<string | Cell> {
  const state = connect.status?.state ?? '';
  return [
    ...options.namespaces ? [connect.metadata.namespace ?? ''] : [],
    connect.metadata.name ?? '',
    { text: state || '<none>', style: stateStyle(state) },
    connect.status?.server?.podName || '<none>',
    connectAddress(connect),
    executorsByPhase(connect),
    ageOf(connect.metadata.creationTimestamp, options.now),
  ];
}

/** `list --connect`'s table. */
export function connectTable(items: readonly SparkConnect[], options: { now: number; namespaces: boolean; color: boolean }): string {
  return table(connectHeader(options), items.map((item) => connectRow(item, options)), options.color);
}

function oneLine(text: string, max = 120): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}

/** How a driver pod is doing: its phase, and why it waits or how it ended. */
export function driverPodState(pod: DriverPod | 'forbidden' | undefined): string {
  if (pod === 'forbidden') return 'unknown (you may not read pods here)';
  if (!pod) return 'no pod';
  const phase = pod.status?.phase ?? 'Unknown';
  const container = pod.status?.containerStatuses?.find((c) => c.name === SPARK_CONTAINERS.driver) ?? pod.status?.containerStatuses?.[0];
  const waiting = container?.state?.waiting?.reason;
  const terminated = container?.state?.terminated;
  if (waiting) return `${phase} (${waiting})`;
  if (terminated) return `${phase} (${terminated.reason ?? 'Terminated'}, exit code ${terminated.exitCode ?? '?'})`;
  return phase;
}

function fields(rows: ReadonlyArray<readonly [string, string]>): string[] {
  const width = Math.max(...rows.map(([k]) => k.length)) + 1;
  return rows.map(([k, v]) => `${`${k}:`.padEnd(width)}  ${v}`);
}

/** `events`' table: when, type, reason, object, message; oldest first. */
export function eventsTable(events: readonly KubeEvent[], options: { now: number; color: boolean }): string {
  const rows = sortEvents(events).map((e): Array<string | Cell> => [
    ageOf(eventTime(e), options.now),
    { text: e.type ?? '', style: e.type === 'Warning' ? 'red' : 'plain' },
    e.reason ?? '',
    `${(e.involvedObject?.kind ?? '').toLowerCase()}/${e.involvedObject?.name ?? ''}`,
    oneLine(e.message ?? '', 200),
  ]);
  return table(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'], rows, options.color);
}

/** `status`' text: the application's state and error, its driver and executors, its last Events. */
export function statusText(app: SparkApplication, driver: DriverPod | 'forbidden' | undefined, events: readonly KubeEvent[] | 'forbidden',
  options: { now: number; color: boolean; lastEvents?: number }): string {
  const status = app.status;
  const state = stateOf(app);
  const info = status?.driverInfo;
  const ui = info?.webUIAddress ? `${info.webUIServiceName ?? ''} (${info.webUIAddress})` : info?.webUIServiceName;
  const lines = fields([
    ['Name', app.metadata.name ?? ''],
    ['Namespace', app.metadata.namespace ?? ''],
    ['State', state ? paint(state, stateStyle(state), options.color) : '<none>'],
    ...status?.applicationState?.errorMessage ? [['Error', oneLine(status.applicationState.errorMessage, 1000)] as const] : [],
    ['Attempts', `${status?.submissionAttempts ?? 0} submitted, ${status?.executionAttempts ?? 0} ran`],
    ['Submission ID', status?.submissionID || '<none>'],
    ['Submitted', timeOf(status?.lastSubmissionAttemptTime)],
    ['Finished', timeOf(status?.terminationTime)],
    ['Suspended', app.spec?.suspend ? 'yes' : 'no'],
    ['Driver', info?.podName ? `${info.podName}: ${driverPodState(driver)}` : '<none>'],
    ...ui ? [['Spark UI', ui] as const] : [],
  ]);
  const executors = Object.entries(status?.executorState ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  lines.push('', `Executors (${executors.length}):`);
  if (executors.length > 0) {
    lines.push(...table(['NAME', 'STATE'], executors.map(([name, s]) => [name, { text: s, style: stateStyle(s) }]), options.color)
      .trimEnd().split('\n').map((l) => `  ${l}`));
  } else {
    lines.push('  <none>');
  }
  return `${lines.join('\n')}\n${eventsSection(events, options)}`;
}

/** The last Events, indented under a title, after an empty line. */
function eventsSection(events: readonly KubeEvent[] | 'forbidden', options: { now: number; color: boolean; lastEvents?: number }): string {
  if (events === 'forbidden') return '\nEvents:\n  unknown (you may not list Events here)\n';
  const last = sortEvents(events).slice(-(options.lastEvents ?? 10));
  const lines = ['', `Events (last ${last.length} of ${events.length}):`];
  if (last.length > 0) lines.push(...eventsTable(last, options).trimEnd().split('\n').map((l) => `  ${l}`));
  else lines.push('  <none>');
  return `${lines.join('\n')}\n`;
}

/** `status --scheduled`'s text: the schedule, its state and reason, last and next run, its runs newest first, its last Events. */
export function scheduledStatusText(scheduled: ScheduledSparkApplication, runs: ReadonlyArray<{ name: string; state: string }>,
  events: readonly KubeEvent[] | 'forbidden', options: { now: number; color: boolean; lastEvents?: number }): string {
  const status = scheduled.status;
  const state = status?.scheduleState ?? '';
  const lines = fields([
    ['Name', scheduled.metadata.name ?? ''],
    ['Namespace', scheduled.metadata.namespace ?? ''],
    ['Schedule', `${scheduled.spec?.schedule ?? ''}${scheduled.spec?.timeZone ? ` (${scheduled.spec.timeZone})` : ''}`],
    ['Concurrency', scheduled.spec?.concurrencyPolicy || 'Allow (unset)'],
    ['Suspended', scheduled.spec?.suspend ? 'yes' : 'no'],
    ['State', state ? paint(state, stateStyle(state), options.color) : '<none>'],
    ...status?.reason ? [['Reason', oneLine(status.reason, 1000)] as const] : [],
    ['Last run', status?.lastRun ? `${status.lastRun}${status.lastRunName ? ` (${status.lastRunName})` : ''}` : '<none>'],
    ['Next run', timeOf(status?.nextRun)],
  ]);
  lines.push('', `Runs (${runs.length}):`);
  if (runs.length > 0) {
    lines.push(...table(['NAME', 'STATE'], runs.map((r) => [r.name, { text: r.state || '<none>', style: stateStyle(r.state) }]), options.color)
      .trimEnd().split('\n').map((l) => `  ${l}`));
  } else {
    lines.push('  <none>');
  }
  return `${lines.join('\n')}\n${eventsSection(events, options)}`;
}

/** `status --connect`'s text: the state and why, the server pod, the Service and address, the executors, the last Events. */
export function connectStatusText(connect: SparkConnect, events: readonly KubeEvent[] | 'forbidden',
  options: { now: number; color: boolean; lastEvents?: number }): string {
  const status = connect.status;
  const state = status?.state ?? '';
  const condition = status?.conditions?.find((c) => c.type === 'ServerPodReady');
  const server = status?.server;
  const lines = fields([
    ['Name', connect.metadata.name ?? ''],
    ['Namespace', connect.metadata.namespace ?? ''],
    ['State', state ? paint(state, stateStyle(state), options.color) : '<none>'],
    ...condition && condition.status !== 'True' && condition.message ? [['Reason', oneLine(condition.message, 1000)] as const] : [],
    ['Spark', connect.spec?.sparkVersion ?? ''],
    ['Server pod', server?.podName ? `${server.podName}${server.podIp ? ` (${server.podIp})` : ''}` : '<none>'],
    ['Service', server?.serviceName || '<none>'],
    ['Address', connectAddress(connect)],
    ['Executors', executorsByPhase(connect)],
    ['Started', timeOf(status?.startTime)],
  ]);
  return `${lines.join('\n')}\n${eventsSection(events, options)}`;
}

/** What `trigger` says about a ScheduledSparkApplication's runs that block or are replaced. */
export function runsList(runs: ReadonlyArray<{ name: string; state: string }>): string {
  return runs.map((r) => `${r.name} (${r.state || 'new'})`).join(', ');
}

/** The scheduled object's effective concurrency policy, for messages. */
export function policyOf(scheduled: ScheduledSparkApplication, fallback: string): string {
  return scheduled.spec.concurrencyPolicy || fallback;
}
