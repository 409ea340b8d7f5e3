/**
 * The pure core of the ScheduledSparkApplication controller: `decide()` and the helpers the shell
 * needs around it. See `docs/controller.md` ("Scheduled runs").
 */
export * from './types';
export { decide, MAX_REQUEUE_MS } from './decide';
export { dueTimes, DueTimes } from './due-times';
export { history, historyLimit } from './history';
export { sameScheduledStatus, shapeScheduledStatus } from './status';
export { SCHEDULED_EVENT_REASONS } from './events';
