import { escapeProperty, javaDateString, javaHashOrder, javaStringHashCode, storeProperties } from '../../../src/runtime/submission';

describe('escapeProperty (Properties.saveConvert)', () => {
  test.each([
    ['k8s://https://10.0.0.1:443', 'k8s\\://https\\://10.0.0.1\\:443'],
    ['x=y=z', 'x\\=y\\=z'],
    ['#hash and !bang', '\\#hash and \\!bang'],
    [' padded', '\\ padded'],
    ['two  spaces inside', 'two  spaces inside'],
    ['C:\\dir\\sub', 'C\\:\\\\dir\\\\sub'],
    ['tab\there', 'tab\\there'],
    ['line\nbreak\r\f', 'line\\nbreak\\r\\f'],
    ['grüße 東京', 'grüße 東京'],
    ['say "hi" $HOME', 'say "hi" $HOME'],
    ['', ''],
  ])('value %j is written %j', (value, written) => {
    expect(escapeProperty(value, false)).toBe(written);
  });

  test('escapes every space of a key, not only a leading one', () => {
    expect(escapeProperty('a key with spaces', true)).toBe('a\\ key\\ with\\ spaces');
  });

  test('writes characters outside printable ASCII as \\uXXXX only when asked (store(OutputStream))', () => {
    expect(escapeProperty('grüße 東京\u0001', false, { escapeUnicode: true })).toBe('gr\\u00FC\\u00DFe \\u6771\\u4EAC\\u0001');
    expect(escapeProperty('😀', false, { escapeUnicode: true })).toBe('\\uD83D\\uDE00');
  });
});

describe('javaDateString', () => {
  test('is Date.toString() in UTC, day of month on two digits', () => {
    expect(javaDateString(new Date('2026-08-18T10:00:00Z'))).toBe('Tue Aug 18 10:00:00 UTC 2026');
    expect(javaDateString(new Date('2024-02-05T03:04:05.999Z'))).toBe('Mon Feb 05 03:04:05 UTC 2024');
  });
});

// Expected orders are what Java 17's Properties.store wrote for the same insertions.
describe('javaHashOrder', () => {
  test('uses String.hashCode over UTF-16 code units', () => {
    expect(javaStringHashCode('hello')).toBe(99162322);
    expect(javaStringHashCode('')).toBe(0);
    expect(javaStringHashCode('Aa')).toBe(javaStringHashCode('BB'));
    expect(javaStringHashCode('spark.app.name.that.is.long.enough.to.overflow')).toBe(972361575);
  });

  test('orders keys by bin of a 16-bin table, keeping the insertion order within a bin', () => {
    // 'a' (97) and 'q' (113) share bin 1 of 16; 'Aa' and 'BB' have the same hash.
    expect(javaHashOrder(['c', 'q', 'b', 'a'])).toEqual(['q', 'a', 'b', 'c']);
    expect(javaHashOrder(['BB', 'Aa'])).toEqual(['BB', 'Aa']);
  });

  test('doubles the table when the entries reach three quarters of it', () => {
    // GIVEN 11 keys (16 bins) and 12 keys (32 bins: 'a' in bin 1, 'q' in bin 17)
    const eleven = ['q', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];

    // THEN
    expect(javaHashOrder(eleven)).toEqual(eleven);
    expect(javaHashOrder([...eleven, 'k'])).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'q']);
  });

  test('gives the 38 keys of Spark\'s spark.properties for SparkPi in the order Java writes them', () => {
    // GIVEN the keys spark-submit 3.5.9 wrote for SparkPi (parity capture), inserted alphabetically
    const java = [
      'spark.kubernetes.container.image.pullPolicy',
      'spark.kubernetes.driver.podTemplateContainerName',
      'spark.driver.port',
      'spark.submit.pyFiles',
      'spark.kubernetes.resource.type',
      'spark.kubernetes.driver.label.sparkoperator.k8s.io/launched-by-spark-operator',
      'spark.kubernetes.namespace',
      'spark.app.submitTime',
      'spark.kubernetes.driver.label.sparkoperator.k8s.io/submission-id',
      'spark.kubernetes.executor.label.sparkoperator.k8s.io/submission-id',
      'spark.kubernetes.submitInDriver',
      'spark.kubernetes.authenticate.driver.serviceAccountName',
      'spark.kubernetes.driver.pod.name',
      'spark.executor.instances',
      'spark.kubernetes.executor.container.image',
      'spark.kubernetes.driver.label.sparkoperator.k8s.io/app-name',
      'spark.executor.memory',
      'spark.driver.memory',
      'spark.master',
      'spark.driver.cores',
      'spark.kubernetes.driver.container.image',
      'spark.kubernetes.executor.podTemplateContainerName',
      'spark.kubernetes.executor.podTemplateFile',
      'spark.app.name',
      'spark.executor.cores',
      'spark.kubernetes.submission.waitAppCompletion',
      'spark.submit.deployMode',
      'spark.driver.host',
      'spark.driver.blockManager.port',
      'spark.app.id',
      'spark.kubernetes.driver.label.sparkoperator.k8s.io/mutated-by-spark-operator',
      'spark.kubernetes.container.image',
      'spark.kubernetes.executor.label.sparkoperator.k8s.io/launched-by-spark-operator',
      'spark.kubernetes.memoryOverheadFactor',
      'spark.kubernetes.executor.label.sparkoperator.k8s.io/app-name',
      'spark.kubernetes.driver.podTemplateFile',
      'spark.kubernetes.executor.label.sparkoperator.k8s.io/mutated-by-spark-operator',
      'spark.jars',
    ];

    // THEN
    expect(javaHashOrder([...java].sort())).toEqual(java);
  });
});

describe('storeProperties', () => {
  test('writes the comment, the date and one escaped entry per line, as Java 17 does', () => {
    // WHEN
    const text = storeProperties({
      'spark.master': 'k8s://https://10.0.0.1:443',
      'spark.app.name': 'spark-pi',
      'spark.example.leading-space': ' padded',
      'a key with spaces': 'v',
      'spark.example.backslash': 'C:\\dir\\sub',
      'spark.example.unicode': 'grüße 東京',
      'spark.example.ctl': 'tab\there line\nbreak\r\f',
      'q': '1',
      'a': '2',
    }, 'Java properties built from Kubernetes config map with name: spark-drv-00d64f75d5845245-conf-map', new Date('2026-12-01T20:39:32Z'));

    // THEN
    expect(text).toBe([
      '#Java properties built from Kubernetes config map with name: spark-drv-00d64f75d5845245-conf-map',
      '#Tue Dec 01 20:39:32 UTC 2026',
      'spark.example.ctl=tab\\there line\\nbreak\\r\\f',
      'spark.master=k8s\\://https\\://10.0.0.1\\:443',
      'spark.example.backslash=C\\:\\\\dir\\\\sub',
      'q=1',
      'a=2',
      'spark.app.name=spark-pi',
      'spark.example.unicode=grüße 東京',
      'spark.example.leading-space=\\ padded',
      'a\\ key\\ with\\ spaces=v',
      '',
    ].join('\n'));
  });

  test('sorts the keys with order: sorted, as Java 18 and later do', () => {
    expect(storeProperties({ 'spark.master': 'x', 'q': '2', 'a': '1' }, 'c', new Date(0), { order: 'sorted' }))
      .toBe('#c\n#Thu Jan 01 00:00:00 UTC 1970\na=1\nq=2\nspark.master=x\n');
  });

  test('continues a comment over several lines with # and escapes characters above U+00FF in it', () => {
    expect(storeProperties({}, 'one\ntwo\r\n!three ü 東', new Date(0))).toBe('#one\n#two\n!three ü \\u6771\n#Thu Jan 01 00:00:00 UTC 1970\n');
  });
});
