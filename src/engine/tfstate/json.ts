// A JSON parser that keeps where each value sits in the text. JSON.parse forgets positions,
// and a finding in Terraform state must point at the line of the value as stored.

export type JsonNode =
  | { kind: 'object'; start: number; end: number; entries: [string, JsonNode][] }
  | { kind: 'array'; start: number; end: number; items: JsonNode[] }
  /** start/end include the quotes; the raw (escaped) body is text.slice(start + 1, end - 1). */
  | { kind: 'string'; start: number; end: number; value: string; escaped: boolean }
  | { kind: 'number'; start: number; end: number; value: number }
  | { kind: 'boolean'; start: number; end: number; value: boolean }
  | { kind: 'null'; start: number; end: number };

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

/** Parses `text` (one JSON value, optional BOM and whitespace around it). */
export function parseJson(text: string): JsonNode {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const fail = (message: string): never => {
    throw new JsonSyntaxError(pos >= text.length ? 'unexpected end of input' : message, pos);
  };
  const skipSpace = (): void => {
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else return;
    }
  };
  const expect = (char: string): void => {
    if (text[pos] !== char) fail(`expected '${char}'`);
    pos++;
  };

  const parseString = (): JsonNode & { kind: 'string' } => {
    const start = pos;
    expect('"');
    let value = '';
    let escaped = false;
    let runStart = pos;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (Number.isNaN(c)) fail('unterminated string');
      if (c === 0x22) break;
      if (c < 0x20) fail('control character in string');
      if (c !== 0x5c) {
        pos++;
        continue;
      }
      escaped = true;
      value += text.slice(runStart, pos);
      const e = text[pos + 1];
      if (e === 'u') {
        const hex = text.slice(pos + 2, pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
        value += String.fromCharCode(parseInt(hex, 16));
        pos += 6;
      } else {
        const decoded = e === undefined ? undefined : ESCAPES[e];
        if (decoded === undefined) fail('bad escape');
        value += decoded;
        pos += 2;
      }
      runStart = pos;
    }
    value += text.slice(runStart, pos);
    pos++;
    return { kind: 'string', start, end: pos, value, escaped };
  };

  const parseValue = (): JsonNode => {
    skipSpace();
    const start = pos;
    const c = text[pos];
    if (c === '{') {
      pos++;
      const entries: [string, JsonNode][] = [];
      skipSpace();
      if (text[pos] === '}') {
        pos++;
        return { kind: 'object', start, end: pos, entries };
      }
      for (;;) {
        skipSpace();
        const key = parseString().value;
        skipSpace();
        expect(':');
        entries.push([key, parseValue()]);
        skipSpace();
        if (text[pos] === ',') pos++;
        else if (text[pos] === '}') {
          pos++;
          return { kind: 'object', start, end: pos, entries };
        } else fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      pos++;
      const items: JsonNode[] = [];
      skipSpace();
      if (text[pos] === ']') {
        pos++;
        return { kind: 'array', start, end: pos, items };
      }
      for (;;) {
        items.push(parseValue());
        skipSpace();
        if (text[pos] === ',') pos++;
        else if (text[pos] === ']') {
          pos++;
          return { kind: 'array', start, end: pos, items };
        } else fail("expected ',' or ']'");
      }
    }
    if (c === '"') return parseString();
    if (text.startsWith('true', pos)) return { kind: 'boolean', start, end: (pos += 4), value: true };
    if (text.startsWith('false', pos)) return { kind: 'boolean', start, end: (pos += 5), value: false };
    if (text.startsWith('null', pos)) return { kind: 'null', start, end: (pos += 4) };
    NUMBER.lastIndex = pos;
    const number = NUMBER.exec(text);
    if (number) {
      pos += number[0].length;
      return { kind: 'number', start, end: pos, value: Number(number[0]) };
    }
    return fail('unexpected character');
  };

  const root = parseValue();
  skipSpace();
  if (pos < text.length) fail('unexpected text after the JSON value');
  return root;
}

/** The entry `key` of an object node, if any. */
export function member(node: JsonNode | undefined, key: string): JsonNode | undefined {
  if (node?.kind !== 'object') return undefined;
  for (const [k, v] of node.entries) if (k === key) return v;
  return undefined;
}

/** Plain JavaScript value of a node (for small parts such as sensitive_attributes). */
export function toPlain(node: JsonNode): unknown {
  switch (node.kind) {
    case 'object':
      return Object.fromEntries(node.entries.map(([k, v]) => [k, toPlain(v)]));
    case 'array':
      return node.items.map(toPlain);
    case 'null':
      return null;
    default:
      return node.value;
  }
}

/**
 * For a string node, the offset in `text` of each UTF-16 unit of its decoded value, plus one
 * final entry for the end: escapes make decoded and stored positions differ (a PEM's "\n").
 */
export function decodedOffsets(text: string, node: JsonNode & { kind: 'string' }): number[] {
  const offsets: number[] = [];
  let pos = node.start + 1;
  const end = node.end - 1;
  while (pos < end) {
    offsets.push(pos);
    if (text.charCodeAt(pos) !== 0x5c) pos += 1;
    else pos += text[pos + 1] === 'u' ? 6 : 2;
  }
  offsets.push(end);
  return offsets;
}
