import { EventEmitter } from 'node:events';
import { jsonLogger } from '../../../src/runtime/telemetry/log';
import { FaultSource, handleProcessFaults } from '../../../src/runtime/telemetry/process-faults';

function setUp() {
  const source = new EventEmitter();
  const lines: Array<Record<string, unknown>> = [];
  const exits: number[] = [];
  handleProcessFaults(source as unknown as FaultSource, jsonLogger('error', (line) => lines.push(JSON.parse(line)), () => new Date('2026-12-01T00:00:00Z')), (code) => exits.push(code));
  return { source, lines, exits };
}

describe('handleProcessFaults', () => {
  test('an uncaught exception is logged as JSON and exits with code 1', () => {
    // GIVEN the handlers WHEN an exception is not caught
    const { source, lines, exits } = setUp();
    const error = new TypeError("Cannot read properties of undefined (reading 'map')");
    source.emit('uncaughtException', error, 'uncaughtException');
    // THEN one error line names it, with its stack, and the process exits 1
    expect(lines).toEqual([{
      time: '2026-12-01T00:00:00.000Z',
      level: 'error',
      msg: 'uncaught exception, exiting',
      origin: 'uncaughtException',
      error: "TypeError: Cannot read properties of undefined (reading 'map')",
      stack: error.stack,
    }]);
    expect(exits).toEqual([1]);
  });

  test('an unhandled rejection is logged as JSON and the process goes on', () => {
    // GIVEN the handlers WHEN a promise is rejected with a non-Error and nobody handles it
    const { source, lines, exits } = setUp();
    source.emit('unhandledRejection', 'socket hang up');
    // THEN one error line names it and nothing exits
    expect(lines).toEqual([{ time: '2026-12-01T00:00:00.000Z', level: 'error', msg: 'unhandled promise rejection', error: 'socket hang up' }]);
    expect(exits).toEqual([]);
  });
});
