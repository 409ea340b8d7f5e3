/**
 * The pure core of the SparkConnect controller: `decide()`, the objects it creates, and its Events.
 * See `docs/controller.md` ("SparkConnect").
 */
export * from './types';
export { decide, CONNECT_FAILED_REASON } from './decide';
export { CONNECT_EVENT_REASONS } from './events';
export * from './objects';
