/**
 * Name of the file that the failure reporter (failure-reporter.js) writes into the run folder when
 * a test failed; the global teardown then keeps the folder. Keep the two in step.
 */
export const FAILED_MARKER = 'FAILED';
