/**
 * `spark.properties` exactly as Spark writes it: `java.util.Properties.store(Writer, comment)`
 * (`KubernetesClientUtils.buildSparkConfDirFilesMap`), which the driver reads back with
 * `Properties.load`.
 *
 * - a `#<comment>` line and a `#<date>` line (`Date.toString()`; here from the caller's clock, in UTC)
 * - one `key=value` line per entry, `\n`-terminated, in the iteration order of a Java 9 to 17
 *   `Properties` (a `ConcurrentHashMap`) filled in the caller's order; Java 18 and later sort the
 *   keys instead (option `order`)
 * - in keys and values `\`, `:`, `=`, `#`, `!`, tab, newline, carriage return and form feed are
 *   escaped; in keys every space, in values only a leading one. `store(Writer)` writes other
 *   characters as they are; `store(OutputStream)` (option `escapeUnicode`) writes characters outside
 *   printable ASCII as `\uXXXX`.
 */

/** How to write the file. */
export interface StoreOptions {
  /**
   * The order of the entries: `hash`, that of Java 9 to 17 ({@link javaHashOrder}); `sorted`, by
   * key, as Java 18 and later write them (JDK-8231640).
   * @default 'hash' - what the Java 17 of Spark's images and of upstream's operator image writes
   */
  readonly order?: 'hash' | 'sorted';
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

function spreadHash(key: string): number {
  const h = javaStringHashCode(key);
  // eslint-disable-next-line no-bitwise -- ConcurrentHashMap.spread
  return (h ^ (h >>> 16)) & 0x7fffffff;
}

/**
 * `keys` (distinct, in insertion order) in the order a Java 9 to 17 `Properties` holding them
 * iterates, which is the order `store` writes: that of its `ConcurrentHashMap`. The table starts
 * with 16 bins (`new ConcurrentHashMap(8)`); an insertion appends to its bin (spread hash masked
 * to the table size) and doubles the table once the entries reach three quarters of it. A resize
 * splits each bin as `ConcurrentHashMap.transfer` does: the tail run that moves together keeps its
 * order, the nodes before it are prepended, so they reverse. (Bins of 8 or more, which the map
 * would turn into trees, are not modelled.)
 */
export function javaHashOrder(keys: readonly string[]): string[] {
  let bins: string[][] = Array.from({ length: 16 }, () => []);
  const hashes = new Map(keys.map((k) => [k, spreadHash(k)]));
  const hashOf = (key: string) => hashes.get(key)!;
  let count = 0;
  for (const key of keys) {
    // eslint-disable-next-line no-bitwise -- the table mask
    bins[hashOf(key) & (bins.length - 1)].push(key);
    count++;
    if (count >= bins.length * 0.75) {
      const n = bins.length;
      const next: string[][] = Array.from({ length: 2 * n }, () => []);
      bins.forEach((bin, i) => {
        if (bin.length === 0) return;
        // eslint-disable-next-line no-bitwise -- the bit that decides between bin i and bin i + n
        const high = (k: string) => (hashOf(k) & n) !== 0;
        let lastRun = 0;
        for (let j = 1; j < bin.length; j++) if (high(bin[j]) !== high(bin[j - 1])) lastRun = j;
        const low: string[] = [];
        const up: string[] = [];
        (high(bin[lastRun]) ? up : low).push(...bin.slice(lastRun));
        for (let j = 0; j < lastRun; j++) (high(bin[j]) ? up : low).unshift(bin[j]);
        next[i] = low;
        next[i + n] = up;
      });
      bins = next;
    }
  }
  return bins.flat();
}

/**
 * The text `Properties.store` writes for `entries` (in their order of insertion, see
 * {@link javaHashOrder}) with the header `comment` and the date line of `date`.
 */
export function storeProperties(entries: Readonly<Record<string, string>>, comment: string, date: Date, options: StoreOptions = {}): string {
  const keys = Object.keys(entries);
  const lines = (options.order === 'sorted' ? [...keys].sort() : javaHashOrder(keys))
    .map((key) => `${escapeProperty(key, true, options)}=${escapeProperty(entries[key], false, options)}\n`);
  return `${commentLines(comment)}#${javaDateString(date)}\n${lines.join('')}`;
}
