/**
 * `spark.properties` exactly as Spark writes it: `java.util.Properties.store(Writer, comment)`
 * (`KubernetesClientUtils.buildSparkConfDirFilesMap`), which the driver reads back with
 * `Properties.load`.
 *
 * - a `#<comment>` line and a `#<date>` line (`Date.toString()`; here from the caller's clock, in UTC)
 * - one `key=value` line per entry, `\n`-terminated, in the iteration order of the Java 9+
 *   `Properties` table (a `ConcurrentHashMap`): by hash bucket; keys in the same bucket keep the
 *   caller's order, which may differ from Java's
 * - in keys and values `\`, `:`, `=`, `#`, `!`, tab, newline, carriage return and form feed are
 *   escaped; in keys every space, in values only a leading one. `store(Writer)` writes other
 *   characters as they are; `store(OutputStream)` (option `escapeUnicode`) writes characters outside
 *   printable ASCII as `\uXXXX`.
 */

/** How to write the file. */
export interface StoreOptions {
  /**
   * Write characters outside `0x20..0x7e` as `\uXXXX`, as `Properties.store(OutputStream)` does.
   * @default false - as `Properties.store(Writer)`, which Spark uses
   */
  readonly escapeUnicode?: boolean;
}

function unicodeEscape(code: number): string {
  return `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** One key (`isKey`) or value escaped as `Properties.saveConvert` does. */
export function escapeProperty(text: string, isKey: boolean, options: StoreOptions = {}): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const code = text.charCodeAt(i);
    // Java iterates UTF-16 code units, and so does this loop: a character outside the BMP is two escapes.
    if (code > 61 && code < 127) {
      out += c === '\\' ? '\\\\' : c;
      continue;
    }
    switch (c) {
      case ' ': out += i === 0 || isKey ? '\\ ' : ' '; break;
      case '\t': out += '\\t'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\f': out += '\\f'; break;
      case '=': case ':': case '#': case '!': out += `\\${c}`; break;
      default: out += (code < 0x20 || code > 0x7e) && options.escapeUnicode ? unicodeEscape(code) : c;
    }
  }
  return out;
}

/** A comment line as `Properties.writeComments` writes it (characters above U+00FF as `\uXXXX`). */
function commentLines(comment: string): string {
  let out = '#';
  for (let i = 0; i < comment.length; i++) {
    const c = comment[i];
    const code = comment.charCodeAt(i);
    if (c === '\r' || c === '\n') {
      if (c === '\r' && comment[i + 1] === '\n') i++;
      out += '\n';
      const next = comment[i + 1];
      if (next !== undefined && next !== '#' && next !== '!') out += '#';
    } else {
      out += code > 0xff ? unicodeEscape(code) : c;
    }
  }
  return `${out}\n`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `date` as Java's `Date.toString()` in UTC: `Tue Aug 18 10:00:00 UTC 2026`. */
export function javaDateString(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${two(date.getUTCDate())} `
    + `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`;
}

/** Java's `String.hashCode()` over UTF-16 code units, as a signed 32-bit integer. */
export function javaStringHashCode(text: string): number {
  let hash = 0;
  // eslint-disable-next-line no-bitwise -- Java's int arithmetic wraps at 32 bits
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash;
}

/**
 * `keys` in the order a Java 9+ `Properties` holding them iterates: `ConcurrentHashMap` buckets
 * in ascending order. The table starts at 16 buckets (`new ConcurrentHashMap(8)`) and doubles
 * whenever the entry count reaches three quarters of it; a key's bucket is its spread hash
 * (`h ^ h >>> 16`) masked to the table size. Keys sharing a bucket keep their order in `keys`.
 */
export function javaHashOrder(keys: readonly string[]): string[] {
  let buckets = 16;
  while (keys.length >= buckets * 0.75) buckets *= 2;
  const bucketOf = (key: string) => {
    const h = javaStringHashCode(key);
    // eslint-disable-next-line no-bitwise -- ConcurrentHashMap.spread and the table mask
    return ((h ^ (h >>> 16)) & 0x7fffffff) & (buckets - 1);
  };
  return keys.map((key, index) => ({ key, index, bucket: bucketOf(key) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((entry) => entry.key);
}

/**
 * The text `Properties.store` writes for `entries` (in their order of insertion, see
 * {@link javaHashOrder}) with the header `comment` and the date line of `date`.
 */
export function storeProperties(entries: Readonly<Record<string, string>>, comment: string, date: Date, options: StoreOptions = {}): string {
  const lines = javaHashOrder(Object.keys(entries))
    .map((key) => `${escapeProperty(key, true, options)}=${escapeProperty(entries[key], false, options)}\n`);
  return `${commentLines(comment)}#${javaDateString(date)}\n${lines.join('')}`;
}
