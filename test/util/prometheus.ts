/** Reading the Prometheus text exposition in tests: the metrics unit tests and the e2e scrape. */

/** One series of the exposition: `name{labels} value`. */
export interface Series {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** The series of a Prometheus text exposition, comments left out. */
export function parseExposition(text: string): Series[] {
  return text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).map((line) => {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a series: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key] = value;
    return { name: match[1], labels, value: Number(match[3]) };
  });
}

/** The value of the series `name` with exactly `labels`, or undefined. */
export function valueOf(series: readonly Series[], name: string, labels: Record<string, string> = {}): number | undefined {
  const key = JSON.stringify(Object.entries(labels).sort());
  return series.find((s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === key)?.value;
}

/** The `# TYPE` of each metric of an exposition. */
export function typesOf(text: string): Map<string, string> {
  return new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(([, name, type]) => [name, type]));
}
