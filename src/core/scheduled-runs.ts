/**
 * The runs of a ScheduledSparkApplication: SparkApplications named `<name>-<UnixNano of the due
 * time>`, labelled `sparkoperator.k8s.io/scheduled-app-name`, with a non-controller owner reference
 * to it (upstream's `createSparkApplication`). The scheduled controller starts runs with these
 * rules, and `sparkctl trigger` starts one now with the same, so both are found and counted alike.
 */
import { scheduledRunName } from './names';
import { isOwnedBy } from './owner-references';
import {
  ApplicationStateType, LABELS, SCHEDULED_SPARK_APPLICATION_TYPE_META, SPARK_APPLICATION_TYPE_META,
  ScheduledSparkApplication, SparkApplication,
} from '../api';

/** A run as the scheduled controller (and `sparkctl trigger`) reads it. */
export interface ScheduledRun {
  readonly name: string;
  /** The due time it was started for (from its name), else its creation time; ms since the epoch. */
  readonly dueTime: number;
  /** `status.applicationState.state`; `''` before the SparkApplication controller wrote one. */
  readonly state: ApplicationStateType;
}

/** The states in which a run is over: upstream's `hasLastRunFinished`. */
const FINISHED_STATES: readonly ApplicationStateType[] = ['COMPLETED', 'FAILED'];

/** Whether `run` is over (COMPLETED or FAILED). */
export function isRunFinished(run: ScheduledRun): boolean {
  return FINISHED_STATES.includes(run.state);
}

/**
 * The due time encoded in a run's name: `<scheduled name>-<19 digits>` is nanoseconds since the
 * epoch (ours and upstream's default precision); undefined for any other name.
 */
export function dueTimeFromRunName(scheduledName: string, runName: string): number | undefined {
  const prefix = `${scheduledName}-`;
  if (!runName.startsWith(prefix)) return undefined;
  const digits = runName.slice(prefix.length);
  if (!/^\d{19}$/.test(digits)) return undefined;
  return Number(BigInt(digits) / 1_000_000n);
}

function parseTime(text: string | null | undefined): number | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The runs of `scheduled` among `applications`: its label and an owner reference to this very
 * object (a namesake deleted and created again is another schedule), newest due time first.
 */
export function scheduledRunsOf(scheduled: ScheduledSparkApplication, applications: readonly SparkApplication[]): ScheduledRun[] {
  const { name, uid } = scheduled.metadata;
  const runs: ScheduledRun[] = [];
  for (const app of applications) {
    if (app.metadata.labels?.[LABELS.scheduledAppName] !== name || !isOwnedBy(app, uid!)) continue;
    const dueTime = dueTimeFromRunName(name!, app.metadata.name!) ?? parseTime(app.metadata.creationTimestamp);
    if (dueTime === undefined) continue;
    runs.push({ name: app.metadata.name!, dueTime, state: app.status?.applicationState?.state ?? '' });
  }
  return runs.sort((a, b) => b.dueTime - a.dueTime || (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
}

/**
 * The run of `scheduled` due at `dueTime`: the template as its spec, the parent's labels plus
 * `scheduled-app-name` (which wins over a parent label of that key: the controller finds runs by
 * it), and an owner reference that is not a controller reference, with `blockOwnerDeletion`.
 */
export function buildScheduledRun(scheduled: ScheduledSparkApplication, dueTime: number): SparkApplication {
  const { name, namespace, uid, labels } = scheduled.metadata;
  return {
    ...SPARK_APPLICATION_TYPE_META,
    metadata: {
      name: scheduledRunName(name!, new Date(dueTime)),
      namespace,
      labels: { ...labels, [LABELS.scheduledAppName]: name! },
      ownerReferences: [{ ...SCHEDULED_SPARK_APPLICATION_TYPE_META, name: name!, uid: uid!, blockOwnerDeletion: true }],
    },
    spec: structuredClone(scheduled.spec.template),
  };
}
