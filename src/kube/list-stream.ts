/**
 * Reads a list answer (`{"kind": "...List", "metadata": {...}, "items": [...]}`) as it arrives and
 * hands out its items one at a time, so that a page is never held whole: a page of 500 applications
 * at the API server's object size limit (about 1.5 MB each) would be 750 MB of text, more than one
 * string may hold, and several times that once parsed. Only one item's text and the list's envelope
 * (the body without the elements of `items`: `metadata.resourceVersion`, `metadata.continue`) are
 * kept at a time.
 *
 * A scanner, not a parser: it follows strings, escapes and nesting to find where each element of the
 * top-level `items` array begins and ends, and leaves the parsing to `JSON.parse`. Text that is not
 * JSON is found when the envelope or an item is parsed.
 */

/** What is left of a list once its items have been handed out. */
export interface ListEnvelope {
  readonly metadata?: { readonly resourceVersion?: unknown; readonly continue?: unknown };
  /** `[]` when the body had an `items` array (its elements went to `onItem`). */
  readonly items?: unknown;
  readonly [key: string]: unknown;
}

/** The next `"` or `\` in a string's text. */
const STRING_STOP = /["\\]/g;

export class ListStreamScanner {
  /** The body without the elements of `items`. */
  private envelope = '';
  /** The text of the element being read. */
  private item = '';
  /** Where the text not yet copied to `envelope` or `item` starts, in the chunk being read. */
  private copiedUpTo = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The raw text of a string at depth 1 (a key of the list, or a small value). */
  private topString?: string;
  private lastTopString = '';
  private key = '';
  /** Inside the top-level `items` array, and inside one of its elements. */
  private inItems = false;
  private inItem = false;

  /** `onItem` is called with each element of `items`, parsed, in order. */
  constructor(private readonly onItem: (item: unknown) => void) {}

  /** Reads the next piece of the body. Throws when an element is not JSON. */
  public push(chunk: string): void {
    this.copiedUpTo = 0;
    let i = 0;
    while (i < chunk.length) {
      if (this.inString) {
        i = this.readString(chunk, i);
        continue;
      }
      const c = chunk[i];
      if (this.inItems && !this.inItem && this.depth === 2) {
        if (c === ',') {
          // Between elements: the envelope keeps `[]`, not the commas.
          this.copy(chunk, i);
          this.copiedUpTo = i + 1;
          i++;
          continue;
        }
        if (c !== ']' && !isSpace(c)) {
          this.copy(chunk, i);
          this.inItem = true;
        }
      }
      if (c === '"') {
        this.inString = true;
        this.topString = this.depth === 1 ? '' : undefined;
      } else if (c === '{' || c === '[') {
        if (this.depth === 1 && c === '[' && this.key === 'items') this.inItems = true;
        this.depth++;
      } else if (c === '}' || c === ']') {
        // A scalar element ends where its array does.
        if (this.inItem && this.depth === 2) this.endItem(chunk, i);
        this.depth--;
        if (this.inItem && this.depth === 2) this.endItem(chunk, i + 1);
        else if (this.inItems && this.depth === 1) this.inItems = false;
      } else if (c === ',' && this.inItem && this.depth === 2) {
        this.endItem(chunk, i);
        continue; // the comma is read again, between elements
      } else if (c === ':' && this.depth === 1) {
        this.key = this.lastTopString;
      }
      i++;
    }
    this.copy(chunk, chunk.length);
  }

  /** The envelope, once the whole body has been pushed. Throws when the body is not a whole JSON object. */
  public finish(): ListEnvelope {
    if (this.inString || this.depth !== 0) throw new Error('the list ends before its last bracket');
    const envelope: unknown = JSON.parse(this.envelope);
    if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) throw new Error('the list is not a JSON object');
    return envelope as ListEnvelope;
  }

  /** Reads string text from `i`; returns where reading goes on. */
  private readString(chunk: string, i: number): number {
    if (this.escaped) {
      this.escaped = false;
      if (this.topString !== undefined) this.topString += chunk[i];
      return i + 1;
    }
    STRING_STOP.lastIndex = i;
    const stop = STRING_STOP.exec(chunk);
    const end = stop ? stop.index : chunk.length;
    if (this.topString !== undefined) this.topString += chunk.slice(i, stop ? end + 1 : end);
    if (!stop) return chunk.length;
    if (stop[0] === '\\') {
      this.escaped = true;
      return end + 1;
    }
    this.inString = false;
    if (this.topString !== undefined) this.lastTopString = unquote(this.topString);
    this.topString = undefined;
    return end + 1;
  }

  /** Copies the text read since the last copy to the element or the envelope. */
  private copy(chunk: string, end: number): void {
    if (end <= this.copiedUpTo) return;
    const text = chunk.slice(this.copiedUpTo, end);
    if (this.inItem) this.item += text;
    else this.envelope += text;
    this.copiedUpTo = end;
  }

  private endItem(chunk: string, end: number): void {
    this.copy(chunk, end);
    this.inItem = false;
    const text = this.item;
    this.item = '';
    this.onItem(JSON.parse(text));
  }
}

/** The value of a JSON string's text (read up to and with its closing quote); '' when it is not valid. */
function unquote(textWithClosingQuote: string): string {
  try {
    return JSON.parse(`"${textWithClosingQuote}`) as string;
  } catch {
    return '';
  }
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\n' || c === '\r' || c === '\t';
}
