import { Simulation, changes, decideAt, run, runName, scheduled } from './fixtures';
import { ApplicationStateType } from '../../../../src/api';

/** Runs due at 00:00, 00:05, ... (`count` of them) in the given states, newest last. */
function runsIn(states: ApplicationStateType[]) {
  return states.map((state, i) => run(`2026-12-01T00:${String(i * 5).padStart(2, '0')}:00Z`, state));
}

const T = (i: number) => `2026-12-01T00:${String(i * 5).padStart(2, '0')}:00Z`;

/** Scheduled after the run of T(last), between due times. */
function withLastRun(last: number, spec: Parameters<typeof scheduled>[0] = {}) {
  return scheduled(spec, { lastRun: T(last), lastRunName: runName(T(last)), nextRun: T(last + 1), scheduleState: 'Scheduled' });
}

describe('decide: run history', () => {
  test('by default one COMPLETED and one FAILED run are kept, the newest, and the older ones deleted', () => {
    // GIVEN two completed, two failed and one running run
    const runs = runsIn(['COMPLETED', 'FAILED', 'COMPLETED', 'FAILED', 'RUNNING']);

    // WHEN deciding between due times
    const decision = decideAt(withLastRun(4), runs, '2026-12-01T00:21:00Z');

    // THEN
    expect(changes(decision)).toEqual([`delete:${runName(T(0))}`, `delete:${runName(T(1))}`]);
    expect(decision.actions.filter((a) => a.type === 'deleteRun').map((a) => a.type === 'deleteRun' && a.why)).toEqual(['history', 'history']);
    expect(decision.status.pastSuccessfulRunNames).toEqual([runName(T(2))]);
    expect(decision.status.pastFailedRunNames).toEqual([runName(T(3))]);
  });

  test('successfulRunHistoryLimit and failedRunHistoryLimit keep that many, newest first', () => {
    const runs = runsIn(['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'FAILED', 'FAILED']);
    const decision = decideAt(withLastRun(5, { successfulRunHistoryLimit: 3, failedRunHistoryLimit: 5 }), runs, '2026-12-01T00:26:00Z');
    expect(changes(decision)).toEqual([`delete:${runName(T(0))}`]);
    expect(decision.status.pastSuccessfulRunNames).toEqual([runName(T(3)), runName(T(2)), runName(T(1))]);
    expect(decision.status.pastFailedRunNames).toEqual([runName(T(5)), runName(T(4))]);
  });

  test('a limit of 0 deletes every finished run, and leaves the names out of the status', () => {
    const runs = runsIn(['COMPLETED', 'FAILED']);
    const decision = decideAt(withLastRun(1, { successfulRunHistoryLimit: 0, failedRunHistoryLimit: 0 }), runs, '2026-12-01T00:06:00Z');
    expect(changes(decision)).toEqual([`delete:${runName(T(0))}`, `delete:${runName(T(1))}`]);
    expect(decision.status.pastSuccessfulRunNames).toBeUndefined();
    expect(decision.status.pastFailedRunNames).toBeUndefined();
  });

  test('a limit of 0 never deletes a run the stored status does not record yet (its due time would be forgotten)', () => {
    // GIVEN a run that failed at once, whose creation's status write was lost (lastRun still the one before)
    const s = withLastRun(0, { failedRunHistoryLimit: 0 });
    const runs = [run(T(1), 'FAILED')];

    // WHEN
    const first = decideAt(s, runs, '2026-12-01T00:06:00Z');

    // THEN this pass records it and does not delete it; the next pass, with that status, does
    expect(changes(first)).toEqual([]);
    expect(first.status.lastRun).toBe(T(1));
    expect(changes(decideAt(scheduled({ failedRunHistoryLimit: 0 }, first.status), runs, '2026-12-01T00:06:01Z'))).toEqual([`delete:${runName(T(1))}`]);
  });

  test('unfinished runs are never history', () => {
    const runs = runsIn(['RUNNING', 'SUBMITTED', 'COMPLETED']);
    const decision = decideAt(withLastRun(2, { successfulRunHistoryLimit: 0 }), runs, '2026-12-01T00:11:00Z');
    expect(changes(decision)).toEqual([`delete:${runName(T(2))}`]);
  });

  test('the names are kept true on every pass, not only when a run starts', () => {
    // GIVEN the status lists a run that has since been deleted by hand, and not one that completed
    const s = scheduled({}, { ...withLastRun(1).status, pastSuccessfulRunNames: ['gone'], pastFailedRunNames: ['gone-too'] });
    const decision = decideAt(s, [run(T(1), 'COMPLETED')], '2026-12-01T00:06:00Z');
    expect(decision.status.pastSuccessfulRunNames).toEqual([runName(T(1))]);
    expect(decision.status.pastFailedRunNames).toBeUndefined();
  });

  test('history is pruned while suspended too', () => {
    const decision = decideAt(withLastRun(1, { suspend: true }), runsIn(['COMPLETED', 'COMPLETED']), '2026-12-01T00:40:00Z');
    expect(changes(decision)).toEqual([`delete:${runName(T(0))}`]);
  });

  test('a limit validation refuses prunes nothing of its kind (and the schedule is FailedValidation)', () => {
    const decision = decideAt(withLastRun(1, { successfulRunHistoryLimit: -1 }), runsIn(['COMPLETED', 'COMPLETED']), '2026-12-01T00:06:00Z');
    expect(changes(decision)).toEqual([]);
    expect(decision.status.scheduleState).toBe('FailedValidation');
  });

  test('over a day of runs, the cluster holds the limit\'s worth of runs once they are done', () => {
    // GIVEN 1-minute runs every 5 minutes, from 00:05 to 23:55
    const simulation = new Simulation(scheduled({ successfulRunHistoryLimit: 2 }), '2026-12-01T00:00:30Z', 60_000);
    simulation.pass();
    // WHEN
    simulation.runUntil('2026-12-01T23:59:00Z');
    // THEN
    expect(simulation.created).toHaveLength(287);
    expect(simulation.runs.size).toBe(2);
    expect(simulation.status?.pastSuccessfulRunNames).toEqual([...simulation.runs.keys()].sort().reverse());
  });
});
