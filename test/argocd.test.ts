import { ArgoCdSyncWaves } from '../src';

describe('ArgoCdSyncWaves', () => {
  test('custom() rejects a wave that is not an integer', () => {
    // THEN
    expect(() => ArgoCdSyncWaves.custom({ rbac: 0.5 })).toThrow(new Error("'syncWaves.rbac' must be an integer (got 0.5)"));
  });
});
