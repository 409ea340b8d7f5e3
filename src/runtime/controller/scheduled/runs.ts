/**
 * The runs of a ScheduledSparkApplication, by the shared rules of `src/core/scheduled-runs.ts`
 * (`sparkctl trigger` starts runs with the same), under the names this controller's files use.
 */
export type { ScheduledRun as Run } from '../../../core';
export {
  buildScheduledRun as buildRun,
  dueTimeFromRunName as dueTimeFromName,
  isRunFinished as isFinished,
  scheduledRunsOf as runsOf,
} from '../../../core';
