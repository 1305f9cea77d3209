import { describe, expect, it } from 'vitest';
import { decodedOffsets, JsonSyntaxError, member, parseJson, toPlain } from '../../src/engine/tfstate/json.js';

describe('JSON parser with positions', () => {
  const samples = [
    '{"a": [1, -2.5e3, true, false, null, "x"], "b": {"c": "\\u00e9\\n\\"q\\"", "d": []}, "e": {}}',
    '\uFEFF  [ "\\ud83d\\ude00", "tab\\there", 0 ] ',
    '"just a string"',
  ];

  it('gives the same values as JSON.parse', () => {
    for (const text of samples) expect(toPlain(parseJson(text))).toEqual(JSON.parse(text.replace(/^\uFEFF/, '')));
  });

  it('records where each value is', () => {
    const text = '{\n  "k": "v\\u0041",\n  "n": 12\n}';
    const root = parseJson(text);
    const k = member(root, 'k')!;
    expect(text.slice(k.start, k.end)).toBe('"v\\u0041"');
    expect(k).toMatchObject({ kind: 'string', value: 'vA', escaped: true });
    const n = member(root, 'n')!;
    expect(text.slice(n.start, n.end)).toBe('12');
  });

  it('maps decoded offsets to stored offsets through escapes', () => {
    const text = '["a\\nb\\u0041c"]';
    const root = parseJson(text);
    if (root.kind !== 'array' || root.items[0].kind !== 'string') throw new Error('shape');
    const node = root.items[0];
    const offsets = decodedOffsets(text, node);
    expect(node.value).toBe('a\nbAc');
    expect(offsets.map((o) => text[o])).toEqual(['a', '\\', 'b', '\\', 'c', '"']);
  });

  it('rejects malformed JSON with an offset', () => {
    for (const bad of ['{"a": 1', '{"a" 1}', '[1,]', '{"a": "x\ny"}', '{"a": 1} x', '"\\q"', '']) {
      expect(() => parseJson(bad), bad).toThrow(JsonSyntaxError);
    }
  });
});
