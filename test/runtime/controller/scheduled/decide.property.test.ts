import * as fc from 'fast-check';
import { CREATED, Simulation, scheduled } from './fixtures';
import { ConcurrencyPolicy } from '../../../../src/api';
import { dueTimeFromRunName, parseSchedule } from '../../../../src/core';
import { dueTimes } from '../../../../src/runtime/controller/scheduled';

/** A step of the world: the controller runs for a while, crashes before a status write, or is down for a while. */
type Step = { kind: 'up'; minutes: number } | { kind: 'crash' } | { kind: 'down'; minutes: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('up' as const), minutes: fc.integer({ min: 1, max: 180 }) }),
  fc.record({ kind: fc.constant('crash' as const) }),
  fc.record({ kind: fc.constant('down' as const), minutes: fc.integer({ min: 1, max: 600 }) }),
);

const SCHEDULES: Array<[string, string | undefined]> = [['*/10 * * * *', 'UTC'], ['@every 7m', undefined], ['0 * * * *', 'Europe/Berlin'], ['30 2 * * *', 'Europe/Berlin']];

describe('decide: properties over a simulated cluster with crashes and downtime', () => {
  test('each run is created once, for a due time; every due time while the controller runs gets its run; an outage gives at most one', () => {
    fc.assert(fc.property(
      fc.constantFrom(...SCHEDULES), fc.constantFrom<ConcurrencyPolicy>('Allow', 'Replace'), fc.integer({ min: 1, max: 30 }),
      fc.array(step, { minLength: 1, maxLength: 12 }),
      ([expression, zone], policy, runMinutes, steps) => {
        // GIVEN the schedule, created at CREATED, around the fall-back night of 2026
        const start = '2026-10-24T22:00:00Z';
        const spec = { schedule: expression, timeZone: zone, concurrencyPolicy: policy, successfulRunHistoryLimit: 2 };
        const s = scheduled(spec, undefined, { creationTimestamp: start });
        const simulation = new Simulation(s, start, runMinutes * 60_000);
        const due = dueTimes(parseSchedule(expression, zone).schedule!, Date.parse(start));
        simulation.pass();
        const upWindows: Array<[number, number]> = [];
        const downWindows: Array<[number, number]> = [];
        // WHEN the world goes through the steps (the simulation throws if a name is created twice)
        for (const st of steps) {
          if (st.kind === 'up') {
            const from = simulation.now;
            simulation.runUntil(new Date(simulation.now + st.minutes * 60_000).toISOString());
            upWindows.push([from, simulation.now]);
          } else if (st.kind === 'crash') {
            simulation.pass(true);
          } else {
            const from = simulation.now;
            simulation.down(new Date(simulation.now + st.minutes * 60_000).toISOString());
            downWindows.push([from, simulation.now]);
            simulation.pass();
          }
        }
        // THEN every run is for a due time
        const ran = simulation.created.map((name) => dueTimeFromRunName(s.metadata.name!, name)!);
        for (const t of ran) expect(due.isDue(t)).toBe(true);
        // AND every due time strictly inside a window the controller was up has its run
        for (const [from, to] of upWindows) {
          for (let t = due.after(from); t <= to; t = due.after(t)) expect(ran).toContain(t);
        }
        // AND an outage's due times get at most one run between them
        for (const [from, to] of downWindows) {
          expect(ran.filter((t) => t > from && t <= to).length).toBeLessThanOrEqual(1);
        }
      },
    ), { numRuns: 60 });
  });

  test('under Forbid no two runs are ever unfinished at once, and a skipped due time is never run later', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.array(step, { minLength: 1, maxLength: 8 }), (runMinutes, steps) => {
      const s = scheduled({ schedule: '*/10 * * * *', concurrencyPolicy: 'Forbid' });
      const simulation = new Simulation(s, CREATED, runMinutes * 60_000);
      simulation.pass();
      for (const st of steps) {
        if (st.kind === 'up') {simulation.runUntil(new Date(simulation.now + st.minutes * 60_000).toISOString());} else if (st.kind === 'crash') {simulation.pass(true);} else {
          simulation.down(new Date(simulation.now + st.minutes * 60_000).toISOString());
          simulation.pass();
        }
        const unfinished = [...simulation.runs.values()].filter((r) => r.finishAt > simulation.now);
        expect(unfinished.length).toBeLessThanOrEqual(1);
      }
      // A due time a written decision skipped never gets a run (a crash before the write may lose the skip).
      const skipped = new Set(simulation.decisions.flatMap((d) => d.actions.flatMap((a) => (a.type === 'event' && a.reason.endsWith('RunSkipped')
        ? [a.message.split(' ')[3].replace(/:$/, '')] : []))));
      for (const name of simulation.created) {
        expect(skipped.has(new Date(dueTimeFromRunName(s.metadata.name!, name)!).toISOString().replace('.000Z', 'Z'))).toBe(false);
      }
    }), { numRuns: 60 });
  });
});
