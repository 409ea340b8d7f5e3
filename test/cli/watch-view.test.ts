import { SparkApplication } from '../../src/api';
import { tableLine } from '../../src/cli/format';
import { applicationRow, applicationsHeader } from '../../src/cli/views';
import {
  RowRenderer, WatchedList, pipedHeaderLine, pipedLayout, pipedLine, redraw, screenLines, watchTable,
} from '../../src/cli/watch-view';

const NOW = Date.parse('2026-01-01T12:00:00Z');

function app(name: string, state: string, resourceVersion = '1', namespace = 'jobs'): SparkApplication {
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { name, namespace, resourceVersion, creationTimestamp: '2026-01-01T11:59:00Z' },
    spec: {} as SparkApplication['spec'],
    status: { applicationState: { state: state as any }, executionAttempts: state === '' ? 0 : 1 } as SparkApplication['status'],
  };
}

const renderer: RowRenderer<SparkApplication> = {
  header: applicationsHeader({ namespaces: false }),
  widths: { STATE: 17 },
  row: (o, now) => applicationRow(o, { namespaces: false, now }),
};

describe('the objects a watch has seen', () => {
  test('a change shows when a printed column changes; a new resourceVersion alone or a later clock does not', () => {
    // GIVEN
    const seen = new WatchedList(renderer, [app('pi', 'SUBMITTED')]);

    // WHEN / THEN
    expect(seen.apply('MODIFIED', app('pi', 'SUBMITTED', '2'))).toBeUndefined();
    expect(seen.apply('MODIFIED', app('pi', 'RUNNING', '3'))).toEqual({ type: 'MODIFIED', object: app('pi', 'RUNNING', '3') });
    expect(seen.apply('ADDED', app('pi', 'RUNNING', '3'))).toBeUndefined();
  });

  test('an ADDED object is added, a MODIFIED one never seen shows as ADDED, a DELETED one goes (once)', () => {
    // GIVEN
    const seen = new WatchedList(renderer);

    // WHEN / THEN
    expect(seen.apply('ADDED', app('b', ''))?.type).toBe('ADDED');
    expect(seen.apply('MODIFIED', app('a', 'RUNNING'))?.type).toBe('ADDED');
    expect(seen.sorted().map((o) => o.metadata.name)).toEqual(['a', 'b']);
    expect(seen.apply('DELETED', app('a', 'RUNNING'))?.type).toBe('DELETED');
    expect(seen.apply('DELETED', app('a', 'RUNNING'))).toBeUndefined();
    expect(seen.size).toBe(1);
  });

  test('objects are ordered by namespace, then name', () => {
    const seen = new WatchedList(renderer, [app('b', '', '1', 'x'), app('a', '', '1', 'y'), app('c', '', '1', 'x')]);
    expect(seen.sorted().map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['x/b', 'x/c', 'y/a']);
  });

  test('after a 410, a fresh list shows what was missed: the deleted, the changed, the new', () => {
    // GIVEN
    const seen = new WatchedList(renderer, [app('gone', 'RUNNING'), app('same', 'RUNNING'), app('moved', 'RUNNING')]);

    // WHEN
    const changes = seen.replace([app('same', 'RUNNING', '9'), app('moved', 'COMPLETED'), app('new', '')]);

    // THEN
    expect(changes.map((c) => `${c.type} ${c.object.metadata.name}`)).toEqual(['DELETED gone', 'MODIFIED moved', 'ADDED new']);
    expect(seen.sorted().map((o) => o.metadata.name)).toEqual(['moved', 'new', 'same']);
  });
});

describe('what a piped watch prints', () => {
  test('the header with an EVENT column, then one line per change, padded to the first list\'s widths or the widest state', () => {
    // GIVEN
    const layout = pipedLayout(renderer, [app('spark-pi', 'RUNNING')], NOW);

    // WHEN
    const text = pipedHeaderLine(layout)
      + pipedLine(layout, renderer, { type: 'ADDED', object: app('spark-pi', 'RUNNING') }, NOW)
      + pipedLine(layout, renderer, { type: 'DELETED', object: app('spark-pi', 'COMPLETED') }, NOW);

    // THEN
    expect(text).toBe([
      'EVENT      NAME       STATE               ATTEMPTS   START    FINISH   AGE',
      'ADDED      spark-pi   RUNNING             1          <none>   <none>   60s',
      'DELETED    spark-pi   COMPLETED           1          <none>   <none>   60s',
      '',
    ].join('\n'));
  });

  test('a cell longer than its column pushes the rest of that line right', () => {
    expect(tableLine(['a-much-longer-name', 'x'], [4, 1])).toBe('a-much-longer-name   x');
  });

  test('colour only when asked', () => {
    const layout = pipedLayout(renderer, [], NOW);
    expect(pipedLine(layout, renderer, { type: 'ADDED', object: app('pi', 'FAILED') }, NOW, true)).toContain('\u001b[31mFAILED\u001b[0m');
    expect(pipedLine(layout, renderer, { type: 'ADDED', object: app('pi', 'FAILED') }, NOW, false)).not.toContain('\u001b[');
  });
});

describe('what a watch in a terminal draws', () => {
  test('the whole table, or the line that says there is none', () => {
    const seen = new WatchedList(renderer, [app('pi', 'RUNNING')]);
    expect(watchTable(renderer, seen, NOW, false, 'none')).toBe(
      'NAME   STATE     ATTEMPTS   START    FINISH   AGE\npi     RUNNING   1          <none>   <none>   60s\n');
    expect(watchTable(renderer, new WatchedList(renderer), NOW, false, 'No SparkApplications found in namespace jobs; watching.'))
      .toBe('No SparkApplications found in namespace jobs; watching.\n');
  });

  test('a redraw moves the cursor up over the last drawing and clears below it; the first draw is the text alone', () => {
    expect(redraw(0, 'a\n')).toBe('a\n');
    expect(redraw(3, 'a\n')).toBe('\u001b[3A\r\u001b[Ja\n');
  });

  test('the height of a drawing counts wrapped lines, without colour codes', () => {
    expect(screenLines('ab\ncd\n', 80)).toBe(2);
    expect(screenLines(`${'x'.repeat(81)}\n`, 80)).toBe(2);
    expect(screenLines(`\u001b[32m${'x'.repeat(80)}\u001b[0m\n`, 80)).toBe(1);
    expect(screenLines('x\n', undefined)).toBe(1);
  });
});
