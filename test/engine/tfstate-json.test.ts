import { describe, expect, it } from 'vitest';
import { decodedOffsets, JsonSyntaxError, JsonText, parseJson, type JsonNode } from '../../src/engine/tfstate/json.js';

/** Plain JavaScript value of a node, to compare with JSON.parse. */
function toPlain(node: JsonNode): unknown {
  if (node.kind === 'object') return Object.fromEntries(node.entries.map(([k, v]) => [k, toPlain(v)]));
  if (node.kind === 'array') return node.items.map(toPlain);
  return node.kind === 'null' ? null : node.value;
}

describe('JSON read in place', () => {
  const samples = [
    '{"a": [1, -2.5e3, true, false, null, "x"], "b": {"c": "\\u00e9\\n\\"q\\"", "d": []}, "e": {}}',
    '\uFEFF  [ "\\ud83d\\ude00", "tab\\there", 0 ] ',
    '"just a string"',
  ];

  it('gives the same values as JSON.parse, as a tree and read in place', () => {
    for (const text of samples) {
      const plain = JSON.parse(text.replace(/^\uFEFF/, ''));
      expect(toPlain(parseJson(text))).toEqual(plain);
      const json = new JsonText(text);
      expect(json.toPlain(json.root())).toEqual(plain);
    }
  });

  it('records where each value is', () => {
    const text = '{\n  "k": "v\\u0041",\n  "n": 12,\n  "k": "second"\n}';
    const json = new JsonText(text);
    const { fields, end } = json.members(json.root());
    expect(end).toBe(text.length);
    // The first of a repeated key, as JSON readers that stop at the first match see it.
    const k = json.string(fields.get('k')!);
    expect(text.slice(k.start, k.end)).toBe('"v\\u0041"');
    expect(k.escaped).toBe(true);
    expect(json.decode(k)).toBe('vA');
    expect(json.number(fields.get('n'))).toBe(12);
    expect(json.stringValue(fields.get('n'))).toBeUndefined();
    const tree = parseJson(text);
    if (tree.kind !== 'object') throw new Error('shape');
    const n = tree.entries[1][1];
    expect(text.slice(n.start, n.end)).toBe('12');
  });

  it('walks members and items in text order with their ends', () => {
    const text = '{"a": [1, {"b": "x"}], "c": null}';
    const json = new JsonText(text);
    const seen: string[] = [];
    const end = json.eachMember(json.root(), (key, value) => {
      const valueEnd = json.end(value);
      seen.push(`${key}=${text.slice(value, valueEnd)}`);
      return valueEnd;
    });
    expect(end).toBe(text.length);
    expect(seen).toEqual(['a=[1, {"b": "x"}]', 'c=null']);
    const items: number[] = [];
    json.eachItem(text.indexOf('['), (value, index) => {
      items.push(index);
      return json.end(value);
    });
    expect(items).toEqual([0, 1]);
  });

  it('maps decoded offsets to stored offsets through escapes', () => {
    const text = '["a\\nb\\u0041c"]';
    const json = new JsonText(text);
    const stored = json.string(1);
    const offsets = decodedOffsets(text, stored);
    expect(json.decode(stored)).toBe('a\nbAc');
    expect(offsets.map((o) => text[o])).toEqual(['a', '\\', 'b', '\\', 'c', '"']);
  });

  it('rejects malformed JSON with the offset of the fault', () => {
    const cases: [string, number, RegExp][] = [
      ['{"a": 1', 7, /unexpected end of input/],
      ['{"a" 1}', 5, /expected ':'/],
      ['[1,]', 3, /unexpected character/],
      ['{"a": 1,}', 8, /expected '"'/],
      ['{"a": "x\ny"}', 8, /control character/],
      ['{"a": 1} x', 9, /unexpected text after the JSON value/],
      ['"\\q"', 1, /bad escape/],
      ['"\\u12G4"', 1, /bad \\u escape/],
      ['[1 2]', 3, /expected ',' or '\]'/],
      ['"abc', 4, /unexpected end of input/],
      ['', 0, /unexpected end of input/],
    ];
    for (const [bad, offset, message] of cases) {
      for (const read of [() => parseJson(bad), () => new JsonText(bad).root()]) {
        let error: unknown;
        try {
          read();
        } catch (e) {
          error = e;
        }
        expect(error, bad).toBeInstanceOf(JsonSyntaxError);
        expect((error as JsonSyntaxError).offset, bad).toBe(offset);
        expect((error as JsonSyntaxError).message, bad).toMatch(message);
      }
    }
  });
});
