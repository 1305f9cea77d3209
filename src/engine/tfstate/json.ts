// JSON read where it lies. JSON.parse forgets positions, and a finding in Terraform state must
// point at the value as stored. A value is named by its offset in the text, and nothing is built
// but what the caller asks for: a tree of the whole document (one object per value, every
// string copied) took 10x the text's size, 450 MB of RSS for a 25 MB state.

export type JsonKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

/** A string as stored: start/end include the quotes; the raw (escaped) body is text.slice(start + 1, end - 1). */
export interface JsonString {
  start: number;
  end: number;
  escaped: boolean;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at offset ${offset}`);
  }
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * JSON text read in place. Offsets given to its methods are where a value starts (no whitespace
 * before it); `root()` checks the whole text once, so readers after it meet no syntax error.
 */
export class JsonText {
  /** Whether the string `stringEnd` last scanned holds an escape (spares an object per string). */
  private lastEscaped = false;

  constructor(readonly text: string) {}

  private fail(message: string, pos: number): never {
    throw new JsonSyntaxError(pos >= this.text.length ? 'unexpected end of input' : message, pos);
  }

  skipSpace(pos: number): number {
    const { text } = this;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else return pos;
    }
  }

  /** Offset of the one value the text holds (after an optional BOM); throws unless the text is exactly that value. */
  root(): number {
    const start = this.skipSpace(this.text.charCodeAt(0) === 0xfeff ? 1 : 0);
    const end = this.skipSpace(this.end(start));
    if (end < this.text.length) this.fail('unexpected text after the JSON value', end);
    return start;
  }

  kind(at: number): JsonKind {
    switch (this.text.charCodeAt(at)) {
      case OPEN_BRACE:
        return 'object';
      case OPEN_BRACKET:
        return 'array';
      case QUOTE:
        return 'string';
      case 0x74: // t
      case 0x66: // f
        return 'boolean';
      case 0x6e: // n
        return 'null';
      default:
        return 'number';
    }
  }

  /** Where the value at `at` ends (checking its syntax on the way). */
  end(at: number): number {
    switch (this.text.charCodeAt(at)) {
      case OPEN_BRACE:
        return this.eachMember(at, (_key, value) => this.end(value));
      case OPEN_BRACKET:
        return this.eachItem(at, (item) => this.end(item));
      case QUOTE:
        return this.stringEnd(at);
      default:
        return this.scalarEnd(at);
    }
  }

  /**
   * Calls `member` for each member of the object at `at`, in text order; `member` returns where the
   * member's value ends (from `end`, or from reading it). Returns where the object ends.
   */
  eachMember(at: number, member: (key: string, value: number) => number): number {
    const { text } = this;
    let pos = this.skipSpace(at + 1);
    if (text.charCodeAt(pos) === CLOSE_BRACE) return pos + 1;
    for (;;) {
      pos = this.skipSpace(pos);
      const keyEnd = this.stringEnd(pos);
      const key = this.decode({ start: pos, end: keyEnd, escaped: this.lastEscaped });
      pos = this.skipSpace(keyEnd);
      if (text.charCodeAt(pos) !== COLON) this.fail("expected ':'", pos);
      pos = this.skipSpace(member(key, this.skipSpace(pos + 1)));
      const c = text.charCodeAt(pos);
      if (c === CLOSE_BRACE) return pos + 1;
      if (c !== COMMA) this.fail("expected ',' or '}'", pos);
      pos++;
    }
  }

  /** Calls `item` for each item of the array at `at` (returning where the item ends); returns where the array ends. */
  eachItem(at: number, item: (value: number, index: number) => number): number {
    const { text } = this;
    let pos = this.skipSpace(at + 1);
    if (text.charCodeAt(pos) === CLOSE_BRACKET) return pos + 1;
    for (let index = 0; ; index++) {
      pos = this.skipSpace(item(this.skipSpace(pos), index));
      const c = text.charCodeAt(pos);
      if (c === CLOSE_BRACKET) return pos + 1;
      if (c !== COMMA) this.fail("expected ',' or ']'", pos);
      pos++;
    }
  }

  /**
   * The first occurrence of each key of the object at `at` (none for any other value), and
   * where the value ends.
   */
  members(at: number): { fields: Map<string, number>; end: number } {
    const fields = new Map<string, number>();
    if (this.kind(at) !== 'object') return { fields, end: this.end(at) };
    const end = this.eachMember(at, (key, value) => {
      if (!fields.has(key)) fields.set(key, value);
      return this.end(value);
    });
    return { fields, end };
  }

  /** End of a number, true, false or null at `at`. */
  private scalarEnd(at: number): number {
    const { text } = this;
    if (text.startsWith('true', at) || text.startsWith('null', at)) return at + 4;
    if (text.startsWith('false', at)) return at + 5;
    NUMBER.lastIndex = at;
    const number = NUMBER.exec(text);
    if (number) return at + number[0].length;
    return this.fail('unexpected character', at);
  }

  /** End of the string at `at` (after its closing quote); checks its escapes and characters. */
  stringEnd(at: number): number {
    const { text } = this;
    if (text.charCodeAt(at) !== QUOTE) this.fail(`expected '"'`, at);
    let pos = at + 1;
    let escaped = false;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === QUOTE) break;
      if (c !== BACKSLASH) {
        if (c < 0x20) this.fail('control character in string', pos);
        if (Number.isNaN(c)) this.fail('unterminated string', pos);
        pos++;
        continue;
      }
      escaped = true;
      const e = text[pos + 1];
      if (e === 'u') {
        if (!HEX4.test(text.slice(pos + 2, pos + 6))) this.fail('bad \\u escape', pos);
        pos += 6;
      } else {
        if (e === undefined || ESCAPES[e] === undefined) this.fail('bad escape', pos);
        pos += 2;
      }
    }
    this.lastEscaped = escaped;
    return pos + 1;
  }

  /** The string at `at` as stored. */
  string(at: number): JsonString {
    const end = this.stringEnd(at);
    return { start: at, end, escaped: this.lastEscaped };
  }

  /** The value of a stored string, escapes decoded. */
  decode(s: JsonString): string {
    const { text } = this;
    const end = s.end - 1;
    if (!s.escaped) return text.slice(s.start + 1, end);
    let value = '';
    let runStart = s.start + 1;
    for (let pos = runStart; pos < end; ) {
      if (text.charCodeAt(pos) !== BACKSLASH) {
        pos++;
        continue;
      }
      value += text.slice(runStart, pos);
      const e = text[pos + 1];
      if (e === 'u') {
        value += String.fromCharCode(parseInt(text.slice(pos + 2, pos + 6), 16));
        pos += 6;
      } else {
        value += ESCAPES[e];
        pos += 2;
      }
      runStart = pos;
    }
    return value + text.slice(runStart, end);
  }

  /** The decoded string at `at`, or undefined when no string is there. */
  stringValue(at: number | undefined): string | undefined {
    return at !== undefined && this.kind(at) === 'string' ? this.decode(this.string(at)) : undefined;
  }

  /** The number at `at`, or undefined when no number is there. */
  number(at: number | undefined): number | undefined {
    return at !== undefined && this.kind(at) === 'number' ? Number(this.text.slice(at, this.scalarEnd(at))) : undefined;
  }

  /** The boolean at `at`, or undefined when no boolean is there. */
  boolean(at: number | undefined): boolean | undefined {
    return at !== undefined && this.kind(at) === 'boolean' ? this.text.startsWith('true', at) : undefined;
  }

  /** Plain JavaScript value of the value at `at` (for small parts such as sensitive_attributes). */
  toPlain(at: number): unknown {
    return JSON.parse(this.text.slice(at, this.end(at)));
  }
}

export type JsonNode =
  | { kind: 'object'; start: number; end: number; entries: [string, JsonNode][] }
  | { kind: 'array'; start: number; end: number; items: JsonNode[] }
  | ({ kind: 'string'; value: string } & JsonString)
  | { kind: 'number'; start: number; end: number; value: number }
  | { kind: 'boolean'; start: number; end: number; value: boolean }
  | { kind: 'null'; start: number; end: number };

/** Parses `text` (one JSON value, optional BOM and whitespace around it) into a tree of nodes with positions. */
export function parseJson(text: string): JsonNode {
  const json = new JsonText(text);
  const node = (at: number): JsonNode => {
    switch (json.kind(at)) {
      case 'object': {
        const entries: [string, JsonNode][] = [];
        const end = json.eachMember(at, (key, value) => {
          const child = node(value);
          entries.push([key, child]);
          return child.end;
        });
        return { kind: 'object', start: at, end, entries };
      }
      case 'array': {
        const items: JsonNode[] = [];
        const end = json.eachItem(at, (value) => {
          const child = node(value);
          items.push(child);
          return child.end;
        });
        return { kind: 'array', start: at, end, items };
      }
      case 'string': {
        const s = json.string(at);
        return { kind: 'string', ...s, value: json.decode(s) };
      }
      case 'boolean':
        return { kind: 'boolean', start: at, end: json.end(at), value: json.boolean(at)! };
      case 'null':
        return { kind: 'null', start: at, end: json.end(at) };
      default:
        return { kind: 'number', start: at, end: json.end(at), value: json.number(at)! };
    }
  };
  return node(json.root());
}

/**
 * For a stored string, the offset in `text` of each UTF-16 unit of its decoded value, plus one
 * final entry for the end: escapes make decoded and stored positions differ (a PEM's "\n").
 */
export function decodedOffsets(text: string, stored: JsonString): number[] {
  const offsets: number[] = [];
  let pos = stored.start + 1;
  const end = stored.end - 1;
  while (pos < end) {
    offsets.push(pos);
    if (text.charCodeAt(pos) !== BACKSLASH) pos += 1;
    else pos += text[pos + 1] === 'u' ? 6 : 2;
  }
  offsets.push(end);
  return offsets;
}
