/**
 * Reading `spark.properties`, which Spark writes with `java.util.Properties.store`: `#` comment lines,
 * `key=value` lines, and `\` escapes (`\:`, `\=`, `\#`, `\!`, `\ `, `\\`, `\t\n\r\f`, `\uXXXX`).
 */

/**
 * Parses the text of a properties file as `Properties.store` writes it (one logical line per entry;
 * line continuations are not produced by `store` and not supported). Returns the entries sorted by key.
 */
export function parseProperties(text: string): Record<string, string> {
  const entries: Array<[string, string]> = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '').replace(/^[ \t\f]+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) {
      continue;
    }
    // The key ends at the first unescaped '=', ':' or whitespace.
    let i = 0;
    while (i < line.length && !'=: \t\f'.includes(line[i])) {
      i += line[i] === '\\' ? 2 : 1;
    }
    const key = line.slice(0, i);
    let rest = line.slice(i).replace(/^[ \t\f]*/, '');
    if (rest.startsWith('=') || rest.startsWith(':')) {
      rest = rest.slice(1).replace(/^[ \t\f]*/, '');
    }
    entries.push([unescape(key), unescape(rest)]);
  }
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}

function unescape(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, c: string) => {
    if (c.length === 5) return String.fromCharCode(parseInt(c.slice(1), 16));
    return ({ t: '\t', n: '\n', r: '\r', f: '\f' } as Record<string, string>)[c] ?? c;
  });
}
