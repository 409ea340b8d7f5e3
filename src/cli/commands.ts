/**
 * The commands: each reads what it needs from the cluster (or the files), decides, writes, and
 * prints through `Io`. Errors are thrown as `CliError`s with the sentence to print.
 */
import * as net from 'node:net';
import { Flags, RERUN_ANNOTATION } from './args';
import { CliError, EXIT } from './errors';
import { toJson, toYaml } from './format';
import type { Kube } from './kube';
import { Finding, formatFinding, lintText, readSparkDocuments } from './lint';
import {
  PodRole, PodView, driverPodNameOf, executorSelector, forwardingLine, logQuery, newestPod, noPodMessage, notRunningMessage, sparkContainerOf,
} from './pods';
import { SparkResource, collectionPath, objectPath, objectRef, sparkRequest } from './spark-api';
import {
  DriverPod, KubeEvent, applicationRow, applicationsHeader, applicationsTable, connectHeader, connectRow, connectStatusText, connectTable,
  eventsTable, policyOf, runsList, scheduledHeader, scheduledRow, scheduledStatusText, scheduledTable, statusText,
} from './views';
import {
  ChangeType, RowRenderer, WatchedList, pipedHeaderLine, pipedLayout, pipedLine, redraw, screenLines, watchTable,
} from './watch-view';
import {
  APPLICATION_STATES, SCHEDULE_STATES, SCHEDULED_SPARK_APPLICATION_NAMES, SPARK_APPLICATION_NAMES, SPARK_CONNECT_NAMES, SPARK_CONNECT_STATES, LABELS,
  ScheduledSparkApplication, SparkApplication, SparkConnect,
} from '../api';
import {
  DEFAULT_CONCURRENCY_POLICY, buildScheduledRun, isRunFinished, scheduledRunsOf, sparkUiPort,
} from '../core';
import { KubeError, isKubeError } from '../kube/rest';
import { InputTooLargeError } from '../manifests/bounded-read';

/** Where a command prints, and what it knows of the world outside. */
export interface Io {
  /** Whether stdout takes colour. */
  readonly color: boolean;
  /** Whether stdout is a terminal (`list --watch` redraws there, and prints lines when piped). */
  readonly isTerminal: boolean;
  out(text: string): void;
  err(text: string): void;
  now(): number;
  /** The contents of a file (`-` for standard input). */
  readFile(file: string): string;
  /** A client for the flags' cluster and namespace (created on first use). */
  kube(flags: Flags): Promise<Kube>;
  /** Aborts on Ctrl-C (SIGINT) or SIGTERM, from the first call on: the end of `--watch`, `--follow` and `forward`. */
  interrupted(): AbortSignal;
  /** The terminal's width when stdout is one. */
  columns(): number | undefined;
}

interface List<T> {
  items: T[];
  metadata?: { resourceVersion?: string };
}

const APP = SPARK_APPLICATION_NAMES;
const SCHEDULED = SCHEDULED_SPARK_APPLICATION_NAMES;
const CONNECT = SPARK_CONNECT_NAMES;

function resourceOf(flags: Flags): SparkResource {
  return flags.scheduled ? SCHEDULED : flags.connect ? CONNECT : APP;
}

/** Prints what `value()` gives as JSON or YAML when `-o json|yaml` asks for it; true when it did. */
function printedAsObject(io: Io, flags: Flags, value: () => unknown): boolean {
  if (flags.output !== 'json' && flags.output !== 'yaml') return false;
  io.out(flags.output === 'json' ? toJson(value()) : toYaml(value()));
  return true;
}

function readInput(io: Io, file: string): string {
  try {
    return io.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof InputTooLargeError) throw new CliError(`cannot read ${file}: larger than ${error.limitBytes / 1024 / 1024} MiB, the most sparkctl reads from one file`);
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new CliError(`cannot read ${file}: ${why}`);
  }
}

/** `lint FILE...`: every problem of every file, then a count on stderr; exit 1 when any. */
export function lint(io: Io, files: readonly string[]): number {
  let problems = 0;
  let checked = 0;
  for (const file of files) {
    const result = lintText(file, readInput(io, file));
    for (const finding of result.findings) io.out(`${formatFinding(finding)}\n`);
    problems += result.findings.length;
    checked += result.checked;
  }
  const objects = `${checked} Spark object${checked === 1 ? '' : 's'} in ${files.length} file${files.length === 1 ? '' : 's'}`;
  io.err(problems === 0 ? `${objects}: no problems\n` : `${objects}: ${problems} problem${problems === 1 ? '' : 's'}\n`);
  return problems === 0 ? EXIT.ok : EXIT.failed;
}

/**
 * `list`: the SparkApplications (or, with --scheduled, ScheduledSparkApplications, with --connect,
 * SparkConnects) of the namespace, or of all with -A, by name.
 */
export async function list(io: Io, flags: Flags): Promise<number> {
  const kube = await io.kube(flags);
  const resource = resourceOf(flags);
  const namespace = flags.allNamespaces ? undefined : kube.namespace;
  const answer = await sparkRequest<List<Listed> & Record<string, unknown>>(
    kube, resource, 'GET', collectionPath(resource, namespace));
  if (flags.watch) return watchList(io, flags, kube, resource, namespace, answer);
  const items = () => answer.items.map((i) => ({ ...i, apiVersion: i.apiVersion ?? answer.apiVersion, kind: i.kind ?? resource.kind }));
  if (printedAsObject(io, flags, () => ({ apiVersion: 'v1', kind: 'List', items: items() }))) return EXIT.ok;
  if (answer.items.length === 0) {
    const what = `No ${resource.kind}s found`;
    io.err(namespace === undefined ? `${what}.\n` : `${what} in namespace ${namespace}.\n`);
    return EXIT.ok;
  }
  const sorted = [...answer.items].sort((a, b) =>
    (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const options = { now: io.now(), namespaces: namespace === undefined, color: io.color };
  io.out(flags.scheduled
    ? scheduledTable(sorted as ScheduledSparkApplication[], options)
    : flags.connect
      ? connectTable(sorted as SparkConnect[], options)
      : applicationsTable(sorted as SparkApplication[], { ...options, wide: flags.output === 'wide' }));
  return EXIT.ok;
}

async function getApp(kube: Kube, name: string): Promise<SparkApplication> {
  return sparkRequest<SparkApplication>(kube, APP, 'GET', objectPath(APP, kube.namespace, name), { name });
}

async function eventsOf(kube: Kube, names: ReadonlyArray<readonly [kind: string, name: string]>): Promise<KubeEvent[]> {
  const all: KubeEvent[] = [];
  for (const [kind, name] of names) {
    const answer = await kube.request<List<KubeEvent>>('GET', `/api/v1/namespaces/${encodeURIComponent(kube.namespace)}/events`,
      { query: { fieldSelector: `involvedObject.kind=${kind},involvedObject.name=${name}` } });
    all.push(...answer.items);
  }
  return all;
}

async function driverOf(kube: Kube, app: SparkApplication): Promise<{ name: string; pod?: DriverPod; forbidden?: boolean }> {
  const name = driverPodNameOf(app);
  try {
    return { name, pod: await kube.request<DriverPod>('GET', `/api/v1/namespaces/${encodeURIComponent(kube.namespace)}/pods/${encodeURIComponent(name)}`) };
  } catch (error) {
    if (isKubeError(error, 404)) return { name };
    if (isKubeError(error, 403)) return { name, forbidden: true };
    throw error;
  }
}

/** `eventsOf`, or undefined when the user may not list Events (status shows the rest). */
async function eventsIfAllowed(kube: Kube, names: ReadonlyArray<readonly [kind: string, name: string]>): Promise<KubeEvent[] | undefined> {
  try {
    return await eventsOf(kube, names);
  } catch (error) {
    if (isKubeError(error, 403)) return undefined;
    throw error;
  }
}

/** `status NAME`: state, error, driver, executors and the last Events; `-o yaml|json` prints the object. */
export async function status(io: Io, flags: Flags, name: string): Promise<number> {
  if (flags.scheduled) return scheduledStatus(io, flags, name);
  if (flags.connect) return connectStatus(io, flags, name);
  const kube = await io.kube(flags);
  const app = await getApp(kube, name);
  if (printedAsObject(io, flags, () => app)) return EXIT.ok;
  // A user who may read SparkApplications but not pods or Events still gets the rest.
  const driver = await driverOf(kube, app);
  const found = await eventsIfAllowed(kube, [[APP.kind, name], ['Pod', driver.name]]);
  io.out(statusText(app, driver.forbidden ? 'forbidden' : driver.pod, found ?? 'forbidden', { now: io.now(), color: io.color }));
  return EXIT.ok;
}

/** `status --scheduled NAME`: schedule, state and reason, last and next run, the runs there are, the last Events. */
async function scheduledStatus(io: Io, flags: Flags, name: string): Promise<number> {
  const kube = await io.kube(flags);
  const scheduled = await sparkRequest<ScheduledSparkApplication>(kube, SCHEDULED, 'GET', objectPath(SCHEDULED, kube.namespace, name), { name });
  if (printedAsObject(io, flags, () => scheduled)) return EXIT.ok;
  const apps = await sparkRequest<List<SparkApplication>>(kube, APP, 'GET', collectionPath(APP, kube.namespace),
    { query: { labelSelector: `${LABELS.scheduledAppName}=${name}` } });
  const found = await eventsIfAllowed(kube, [[SCHEDULED.kind, name]]);
  io.out(scheduledStatusText(scheduled, scheduledRunsOf(scheduled, apps.items), found ?? 'forbidden', { now: io.now(), color: io.color }));
  return EXIT.ok;
}

/** `status --connect NAME`: state and why, server pod, Service and address, executors, the last Events. */
async function connectStatus(io: Io, flags: Flags, name: string): Promise<number> {
  const kube = await io.kube(flags);
  const connect = await sparkRequest<SparkConnect>(kube, CONNECT, 'GET', objectPath(CONNECT, kube.namespace, name), { name });
  if (printedAsObject(io, flags, () => connect)) return EXIT.ok;
  const found = await eventsIfAllowed(kube, [[CONNECT.kind, name]]);
  io.out(connectStatusText(connect, found ?? 'forbidden', { now: io.now(), color: io.color }));
  return EXIT.ok;
}

/** `events NAME`: the Events of the application and of its driver pod, oldest first. */
export async function events(io: Io, flags: Flags, name: string): Promise<number> {
  const kube = await io.kube(flags);
  const app = await getApp(kube, name);
  const driver = await driverOf(kube, app);
  const found = await eventsOf(kube, [[APP.kind, name], ['Pod', driver.name]]);
  if (printedAsObject(io, flags, () => ({ apiVersion: 'v1', kind: 'List', items: found }))) return EXIT.ok;
  if (found.length === 0) {
    io.err(`No Events of ${objectRef(APP, name)} in namespace ${kube.namespace}.\n`);
    return EXIT.ok;
  }
  io.out(eventsTable(found, { now: io.now(), color: io.color }));
  return EXIT.ok;
}

/** `create -f FILE`: the file's Spark objects, checked as `lint` checks them, then created in order. */
export async function create(io: Io, flags: Flags): Promise<number> {
  const file = flags.filename!;
  const text = readInput(io, file);
  const read = readSparkDocuments(file, text);
  const findings: Finding[] = lintText(file, text).findings;
  if (findings.length > 0) {
    for (const finding of findings) io.err(`${formatFinding(finding)}\n`);
    throw new CliError(`nothing created: ${file} has ${findings.length} problem${findings.length === 1 ? '' : 's'}`);
  }
  if (read.spark.length === 0) throw new CliError(`nothing created: ${file} has no SparkApplication or ScheduledSparkApplication`);
  // lint accepts every kind of the group; create knows the two v1beta2 resources only.
  const other = read.spark.find(({ kind }) => kind !== APP.kind && kind !== SCHEDULED.kind);
  if (other) throw new CliError(`nothing created: sparkctl creates SparkApplications and ScheduledSparkApplications; create ${other.kind} ${other.name} with kubectl apply -f ${file}`);
  const kube = await io.kube(flags);
  // Every object's namespace first, so that a conflict creates nothing.
  const targets = read.spark.map(({ object, kind, name }) => {
    const resource = kind === SCHEDULED.kind ? SCHEDULED : APP;
    const metadata = object.metadata as Record<string, unknown>;
    const declared = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
    if (declared !== undefined && flags.namespace !== undefined && declared !== flags.namespace) {
      throw new CliError(`${objectRef(resource, name)} is in namespace ${declared}, not ${flags.namespace} (-n): nothing created; remove one of the two`);
    }
    return { object, name, resource, namespace: declared ?? kube.namespace };
  });
  for (const { object, name, resource, namespace } of targets) {
    await sparkRequest(kube, resource, 'POST', collectionPath(resource, namespace), { body: object });
    io.out(`${objectRef(resource, name)} created in namespace ${namespace}\n`);
  }
  return EXIT.ok;
}

/** `delete NAME`: deletes it; the garbage collector takes what it owns (driver, executors, runs). */
export async function remove(io: Io, flags: Flags, name: string): Promise<number> {
  const kube = await io.kube(flags);
  const resource = resourceOf(flags);
  await sparkRequest(kube, resource, 'DELETE', objectPath(resource, kube.namespace, name),
    { name, query: { propagationPolicy: 'Background' } });
  io.out(`${objectRef(resource, name)} deleted\n`);
  return EXIT.ok;
}

const MERGE_PATCH = 'application/merge-patch+json';

/** `suspend NAME` and `resume NAME`: a merge patch of `spec.suspend`. */
export async function setSuspend(io: Io, flags: Flags, name: string, suspend: boolean): Promise<number> {
  const kube = await io.kube(flags);
  const resource = resourceOf(flags);
  await sparkRequest(kube, resource, 'PATCH', objectPath(resource, kube.namespace, name),
    { name, body: { spec: { suspend } }, contentType: MERGE_PATCH });
  io.out(`${objectRef(resource, name)} ${suspend ? 'suspended' : 'resumed'}\n`);
  return EXIT.ok;
}

const FINISHED = ['COMPLETED', 'FAILED'];

/**
 * `rerun NAME`: a finished application runs again. Both controllers treat a change of the spec
 * (other than `suspend` and `timeToLiveSeconds`) as a new application: INVALIDATING, then
 * PENDING_RERUN, then a new submission with fresh counters. The change sparkctl makes is a time
 * stamp in a driver annotation, which Spark ignores and which shows on the new driver pod why it
 * ran. The patch carries the resourceVersion read, so an application that changed in between (a
 * controller that already restarted it) is not run twice.
 */
export async function rerun(io: Io, flags: Flags, name: string): Promise<number> {
  const kube = await io.kube(flags);
  const app = await getApp(kube, name);
  const state = app.status?.applicationState?.state ?? '';
  if (!FINISHED.includes(state)) {
    throw new CliError(`${objectRef(APP, name)} is ${state || 'not started yet'}: only a finished application (COMPLETED or FAILED) runs again`);
  }
  const stamp = new Date(io.now()).toISOString();
  try {
    await sparkRequest(kube, APP, 'PATCH', objectPath(APP, kube.namespace, name), {
      name,
      contentType: MERGE_PATCH,
      body: { metadata: { resourceVersion: app.metadata.resourceVersion }, spec: { driver: { annotations: { [RERUN_ANNOTATION]: stamp } } } },
    });
  } catch (error) {
    if (isKubeError(error, 409)) {
      throw new CliError(`${objectRef(APP, name)} changed while sparkctl read it: look at 'sparkctl status ${name}' and try again`);
    }
    throw error;
  }
  io.out(`${objectRef(APP, name)} will run again (was ${state})\n`);
  return EXIT.ok;
}

/**
 * `trigger NAME`: the run the scheduled controller would start if a due time were now, with its
 * rules (`buildScheduledRun`: name, labels, owner) and its concurrency policy.
 */
export async function trigger(io: Io, flags: Flags, name: string): Promise<number> {
  const kube = await io.kube(flags);
  const scheduled = await sparkRequest<ScheduledSparkApplication>(kube, SCHEDULED, 'GET', objectPath(SCHEDULED, kube.namespace, name), { name });
  const apps = await sparkRequest<List<SparkApplication>>(kube, APP, 'GET', collectionPath(APP, kube.namespace),
    { query: { labelSelector: `${LABELS.scheduledAppName}=${name}` } });
  const unfinished = scheduledRunsOf(scheduled, apps.items).filter((r) => !isRunFinished(r));
  const policy = policyOf(scheduled, DEFAULT_CONCURRENCY_POLICY);
  if (unfinished.length > 0 && policy === 'Forbid') {
    throw new CliError(`not triggered: concurrencyPolicy of ${objectRef(SCHEDULED, name)} is Forbid and ${runsList(unfinished)} `
      + `${unfinished.length === 1 ? 'has' : 'have'} not finished`);
  }
  if (unfinished.length > 0 && policy === 'Replace') {
    for (const run of unfinished) {
      try {
        await kube.request('DELETE', objectPath(APP, kube.namespace, run.name), { query: { propagationPolicy: 'Background' } });
      } catch (error) {
        if (!isKubeError(error, 404)) throw error;
      }
      io.out(`${objectRef(APP, run.name)} deleted (concurrencyPolicy Replace)\n`);
    }
  }
  const run = buildScheduledRun(scheduled, io.now());
  await sparkRequest(kube, APP, 'POST', collectionPath(APP, kube.namespace), { body: run });
  io.out(`${objectRef(APP, run.metadata.name!)} created (a run of ${objectRef(SCHEDULED, name)})\n`);
  return EXIT.ok;
}

type Listed = SparkApplication | ScheduledSparkApplication | SparkConnect;

/** A watch event as the API server sends it, one JSON object a line. */
interface WatchEvent {
  readonly type: ChangeType | 'BOOKMARK' | 'ERROR';
  readonly object: Listed & { code?: number; message?: string; reason?: string };
}

/** The width of a timestamp as the API writes it (`2026-01-01T12:00:00Z`). */
const TIMESTAMP_WIDTH = 20;
const APPLICATION_WIDTHS = { STATE: Math.max(...APPLICATION_STATES.map((s) => s.length)), START: TIMESTAMP_WIDTH, FINISH: TIMESTAMP_WIDTH };
const CONNECT_WIDTHS = { STATE: Math.max(...SPARK_CONNECT_STATES.map((s) => s.length)) };
const SCHEDULED_WIDTHS = { 'STATE': Math.max(...SCHEDULE_STATES.map((s) => s.length)), 'LAST RUN': TIMESTAMP_WIDTH, 'NEXT RUN': TIMESTAMP_WIDTH };

/** How long a watch asks the API server to stay open, and how long sparkctl waits on a silent one. */
const WATCH_SECONDS = 300;
const WATCH_IDLE_MS = (WATCH_SECONDS + 30) * 1000;

/**
 * `list --watch`: the list, then the changes the API server's watch reports, from the list's
 * resourceVersion on. A watch the server ends is opened again where it stopped; an expired
 * resourceVersion (410 Gone) lists again and shows what changed in between; a lost connection is
 * tried again each second. Ends with 0 on Ctrl-C.
 */
async function watchList(io: Io, flags: Flags, kube: Kube, resource: SparkResource, namespace: string | undefined,
  first: List<Listed>): Promise<number> {
  const signal = io.interrupted();
  const columns = { namespaces: namespace === undefined, wide: flags.output === 'wide' };
  const renderer: RowRenderer<Listed> = flags.scheduled ? {
    header: scheduledHeader(columns),
    widths: SCHEDULED_WIDTHS,
    row: (o, now) => scheduledRow(o as ScheduledSparkApplication, { ...columns, now }),
  } : flags.connect ? {
    header: connectHeader(columns),
    widths: CONNECT_WIDTHS,
    row: (o, now) => connectRow(o as SparkConnect, { ...columns, now }),
  } : {
    header: applicationsHeader(columns),
    widths: APPLICATION_WIDTHS,
    row: (o, now) => applicationRow(o as SparkApplication, { ...columns, now }),
  };
  const seen = new WatchedList<Listed>(renderer, first.items);
  const none = `No ${resource.kind}s found${namespace === undefined ? '' : ` in namespace ${namespace}`}; watching.`;
  let drawnLines = 0;
  const layout = pipedLayout(renderer, seen.sorted(), io.now());
  const draw = () => {
    const text = watchTable(renderer, seen, io.now(), io.color, none);
    io.out(redraw(drawnLines, text));
    drawnLines = screenLines(text, io.columns());
  };
  if (io.isTerminal) {
    draw();
  } else {
    io.out(pipedHeaderLine(layout));
    for (const object of seen.sorted()) io.out(pipedLine(layout, renderer, { type: 'ADDED', object }, io.now(), io.color));
  }
  const show = (changes: ReadonlyArray<{ type: ChangeType; object: Listed }>) => {
    if (changes.length === 0) return;
    if (io.isTerminal) draw();
    else for (const change of changes) io.out(pipedLine(layout, renderer, change, io.now(), io.color));
  };

  let resourceVersion = first.metadata?.resourceVersion;
  let failures = 0;
  while (!signal.aborted) {
    let gone = false;
    const onLine = (line: string) => {
      let event: WatchEvent;
      try {
        event = JSON.parse(line) as WatchEvent;
      } catch {
        return; // a line cut by a lost connection: the next watch starts from the last resourceVersion seen
      }
      if (event.type === 'ERROR') {
        // A Status: 410 when the resourceVersion expired, else the API server's reason.
        throw new KubeError(event.object?.code ?? 500, event.object?.reason ?? '', event.object?.message ?? 'the watch ended with an error');
      }
      if (event.object?.metadata?.resourceVersion) resourceVersion = event.object.metadata.resourceVersion;
      if (event.type === 'BOOKMARK') return;
      failures = 0;
      const change = seen.apply(event.type, event.object);
      if (change) show([change]);
    };
    try {
      await kube.watch(collectionPath(resource, namespace), {
        query: { watch: 'true', resourceVersion, allowWatchBookmarks: 'true', timeoutSeconds: String(WATCH_SECONDS) },
        signal,
        idleMs: WATCH_IDLE_MS,
      }, onLine);
    } catch (error) {
      if (isKubeError(error, 410)) {
        gone = true;
      } else if (error instanceof KubeError && error.code < 500) {
        throw error;
      } else if (!signal.aborted) {
        // The connection was lost or the API server is restarting: try again, and say so once.
        if (failures++ === 0) io.err(`${errorText(error)}; watching again\n`);
        await sleep(1000, signal);
      }
    }
    if (gone && !signal.aborted) {
      const fresh = await sparkRequest<List<Listed>>(kube, resource, 'GET', collectionPath(resource, namespace));
      resourceVersion = fresh.metadata?.resourceVersion;
      show(seen.replace(fresh.items));
    }
  }
  return EXIT.ok;
}

function errorText(error: unknown): string {
  return `sparkctl: ${String((error as { message?: unknown })?.message ?? error)}`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function podPath(kube: Kube, name: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(kube.namespace)}/pods/${encodeURIComponent(name)}`;
}

/** The pod `role` names of the application: the driver by its name, an executor by its id label; a `CliError` with the reason when none. */
async function podOf(kube: Kube, app: SparkApplication, role: PodRole): Promise<PodView & { metadata: { name: string } }> {
  if (role.role === 'driver') {
    const name = driverPodNameOf(app);
    try {
      const pod = await kube.request<PodView>('GET', podPath(kube, name));
      return { ...pod, metadata: { ...pod.metadata, name } };
    } catch (error) {
      if (isKubeError(error, 404)) throw new CliError(noPodMessage(app, role, name));
      throw error;
    }
  }
  const pods = await kube.request<List<PodView>>('GET', `/api/v1/namespaces/${encodeURIComponent(kube.namespace)}/pods`,
    { query: { labelSelector: executorSelector(app, role.id) } });
  const pod = newestPod(pods.items);
  if (!pod?.metadata.name) throw new CliError(noPodMessage(app, role));
  return pod as PodView & { metadata: { name: string } };
}

/**
 * `logs NAME`: the log of the Spark container of the driver (or of executor `--executor`), as the
 * API server reads it from the node; `--follow` streams it until the container ends or Ctrl-C.
 */
export async function logs(io: Io, flags: Flags, name: string): Promise<number> {
  const kube = await io.kube(flags);
  const app = await getApp(kube, name);
  const role: PodRole = flags.executor === undefined ? { role: 'driver' } : { role: 'executor', id: flags.executor };
  const pod = await podOf(kube, app, role);
  await kube.read(`${podPath(kube, pod.metadata.name)}/log`, {
    query: logQuery(sparkContainerOf(pod, role.role), { follow: flags.follow, tail: flags.tail }),
    signal: flags.follow ? io.interrupted() : undefined,
    // A followed log may be quiet for hours; a log read once is not.
    idleMs: flags.follow ? undefined : 30_000,
  }, (text) => io.out(text));
  return EXIT.ok;
}

/**
 * `forward NAME`: a local port (127.0.0.1) carried to the driver's Spark UI port through the API
 * server, a WebSocket per connection, until Ctrl-C. A connection the pod refuses is a line on
 * stderr; the others go on.
 */
export async function forward(io: Io, flags: Flags, name: string): Promise<number> {
  const kube = await io.kube(flags);
  const app = await getApp(kube, name);
  const pod = await podOf(kube, app, { role: 'driver' });
  if (pod.status?.phase !== 'Running') throw new CliError(notRunningMessage(app, pod.metadata.name, pod.status?.phase));
  const podPort = sparkUiPort(app);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    kube.portForward(kube.namespace, pod.metadata.name, podPort, socket, (message) => io.err(`sparkctl: forward: ${message}\n`))
      .catch((error: unknown) => {
        io.err(`sparkctl: forward: ${String((error as { message?: unknown })?.message ?? error)}\n`);
        socket.destroy();
      });
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE'
      ? new CliError(`local port ${flags.localPort} is in use: choose another with --local-port (0 picks a free one)`)
      : new CliError(`cannot listen on 127.0.0.1:${flags.localPort}: ${error.message}`)));
    server.listen(flags.localPort, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
  io.out(forwardingLine(port, app, pod.metadata.name, podPort));
  const signal = io.interrupted();
  await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return EXIT.ok;
}
