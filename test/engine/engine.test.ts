import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { detectChunk } from '../../src/engine/pipeline.js';
import { KeywordAutomaton, provideStoredAutomaton } from '../../src/engine/prefilter.js';
import { Re2RegexEngine, V8RegexEngine, re2ToV8 } from '../../src/engine/regex.js';
import { parseRules } from '../../src/engine/rules.js';
import { shannonEntropy } from '../../src/engine/entropy.js';
import { BASE62, githubToken, randomString, rng } from '../helpers/secrets.js';

const gh = (seed: number) => githubToken(undefined, rng(seed));

const rulesToml = String.raw`
[[rules]]
id = "gh"
title = "GitHub token"
keywords = ["ghp_"]
regex = '''\b(?P<secret>ghp_[0-9A-Za-z]{36})\b'''
validators = ["github-crc32"]

[[rules]]
id = "kv"
title = "Key-value"
keywords = ["zzkey"]
regex = '''(?i)zzkey\s{0,3}=\s{0,3}(?P<secret>[A-Za-z0-9]{12,40})'''
entropy = 3.0
`;

describe('KeywordAutomaton', () => {
  it('finds every keyword occurrence case-insensitively, overlapping ones too', () => {
    const ac = new KeywordAutomaton(['he', 'she', 'hers', 'ghp_']);
    const flat = ac.scan('uSHErs GHP_x ähe');
    const hits: [number, number][] = [];
    // Flat [keyword, end] pairs: as [keyword, start] for the reader.
    for (let i = 0; i < flat.length; i += 2) hits.push([flat[i], flat[i + 1] - ac.length(flat[i])]);
    expect(hits).toEqual([
      [1, 1],
      [0, 2],
      [2, 2],
      [3, 7],
      [0, 14],
    ]);
  });

  it('is loaded, not built, where a stored automaton for the same keywords was provided, and finds the same', () => {
    const keywords = ['he', 'she', 'hers', 'ghp_', 'api_key'];
    const built = new KeywordAutomaton(keywords);
    const stored = built.store();
    // A stored copy that JSON and a byte table carry, as the build writes it.
    const copy = { ...(JSON.parse(JSON.stringify({ ...stored, next: [] })) as typeof stored), next: stored.next.slice() };
    const text = 'uSHErs GHP_x ähe API_KEY=1 hershe';
    const hits = (ac: KeywordAutomaton) => {
      const pairs = ac.scan(text);
      const found: number[][] = [];
      for (let i = 0; i < pairs.length; i += 2) found.push([pairs[i], pairs[i + 1] - ac.length(pairs[i]), pairs[i + 1]]);
      return found;
    };
    // A stored automaton whose 'ghp_' state lost its output: only a loaded one misses it.
    const ghp = keywords.indexOf('ghp_');
    const tampered = { ...copy, outputs: copy.outputs.map((o) => (o?.includes(ghp) ? (o.filter((k) => k !== ghp).length ? o.filter((k) => k !== ghp) : null) : o)) };
    provideStoredAutomaton(tampered);
    expect(hits(KeywordAutomaton.for(keywords)).some(([k]) => k === ghp)).toBe(false);
    expect(hits(KeywordAutomaton.for(['he', 'she'])).length).toBeGreaterThan(0);
    provideStoredAutomaton(copy);
    const loaded = KeywordAutomaton.for(keywords);
    expect(loaded.store()).toEqual(copy);
    expect(hits(loaded)).toEqual(hits(built));
    expect(hits(loaded)).toHaveLength(10);
  });

  it('finds what a plain search finds, for many keywords sharing prefixes and suffixes', () => {
    const random = rng(99);
    const letters = 'abcde_';
    const word = (n: number): string => Array.from({ length: n }, () => letters[Math.floor(random() * letters.length)]).join('');
    const keywords = [...new Set(Array.from({ length: 300 }, () => word(2 + Math.floor(random() * 4))))];
    const text = word(20_000);
    const expected: number[][] = [];
    keywords.forEach((k, index) => {
      for (let at = text.indexOf(k); at >= 0; at = text.indexOf(k, at + 1)) expected.push([at + k.length, index]);
    });
    const pairs = new KeywordAutomaton(keywords).scan(text.toUpperCase());
    const found: number[][] = [];
    for (let i = 0; i < pairs.length; i += 2) found.push([pairs[i + 1], pairs[i]]);
    const order = (a: number[], b: number[]): number => a[0] - b[0] || a[1] - b[1];
    expect(found.sort(order)).toEqual(expected.sort(order));
    expect(found.length).toBeGreaterThan(1000);
  });
});

describe('regex engines', () => {
  it('translate RE2 syntax for V8', () => {
    expect(re2ToV8('(?i)a(?P<secret>b)')).toEqual({ source: 'a(?<secret>b)', flags: 'gmdi' });
  });

  it('report the secret group span on V8 and RE2 alike, in UTF-16 offsets', () => {
    const text = '😀 é key=abc123 and key=zzz999';
    const pattern = String.raw`key=(?P<secret>[a-z]{3}\d{3})`;
    const v8 = new V8RegexEngine(pattern).findAll(text);
    const re2 = new Re2RegexEngine(pattern).findAll(text);
    expect(re2).toEqual(v8);
    expect(v8.map((h) => text.slice(h.secretStart, h.secretEnd))).toEqual(['abc123', 'zzz999']);
  });

  it('RE2 runs patterns that would backtrack catastrophically on V8 in linear time', () => {
    const re2 = new Re2RegexEngine('(a+)+$');
    const started = Date.now();
    expect(re2.findAll(`${'a'.repeat(5000)}!`)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('Engine', () => {
  const rules = parseRules(rulesToml, 'test.toml', 'builtin');
  const engine = new Engine(rules);

  it('finds a checksummed token and rejects a bad checksum', () => {
    const good = gh(1);
    const bad = good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A');
    const found = engine.detect(`a = "${good}"\nb = "${bad}"`);
    expect(found.map((d) => d.secret)).toEqual([good]);
    expect(found[0].start).toBe(5);
  });

  it('applies the rule entropy minimum', () => {
    expect(engine.detect('ZZKEY = aaaaaaaaaaaabbbbbbbbbb')).toEqual([]);
    expect(engine.detect('zzkey=Q7fK2pL9xM4rT8vB').map((d) => d.secret)).toEqual(['Q7fK2pL9xM4rT8vB']);
  });

  it('rejects placeholders and documented examples for every rule', () => {
    expect(engine.detect('zzkey = XXXXXXXXXXXXXXXX')).toEqual([]);
    expect(engine.detect('zzkey = yourapikeyhere123')).toEqual([]);
  });

  it('finds a secret far from the start of a long single line (windows, not whole text)', () => {
    const token = gh(2);
    const text = `${'x=1;'.repeat(200_000)}t="${token}";${'y=2;'.repeat(1000)}`;
    const found = engine.detect(text);
    expect(found.map((d) => d.secret)).toEqual([token]);
    expect(text.slice(found[0].start, found[0].end)).toBe(token);
  });

  it('keeps one match per place: the most confident rule wins where spans overlap', () => {
    const both = new Engine(
      parseRules(
        String.raw`
[[rules]]
id = "specific"
keywords = ["tok_"]
regex = '''\b(?P<secret>tok_[a-zA-Z0-9]{12})\b'''
confidence = 0.95
[[rules]]
id = "generic"
keywords = ["secret"]
regex = '''secret\s{0,2}=\s{0,2}"(?P<secret>[^"]{8,40})"'''
confidence = 0.6
`,
        't.toml',
        'builtin',
      ),
    );
    const value = randomString(rng(31), BASE62, 15);
    expect(both.detect(`secret = "tok_${value.slice(0, 12)}"`).map((d) => d.rule.id)).toEqual(['specific']);
    expect(both.detect(`secret = "${value}"`).map((d) => d.rule.id)).toEqual(['generic']);
  });

  it('runs user rules on re2-wasm, also without keywords', () => {
    const user = new Engine(parseRules(String.raw`
[[rules]]
id = "internal"
regex = '''corp-(?P<secret>[0-9a-f]{16})'''
`, 'user.toml', 'user'));
    expect(user.detect('x corp-f3a9c0d17b2e5c84 y').map((d) => d.secret)).toEqual(['f3a9c0d17b2e5c84']);
  });
});

describe('pipeline', () => {
  const engine = new Engine(parseRules(rulesToml, 'test.toml', 'builtin'));
  const detect = (text: string) => detectChunk({ text, origin: { kind: 'file', path: 'f' } }, engine);

  it('skips lines that carry leaksweep:allow', () => {
    const t = gh(3);
    const text = `a=${t} # leaksweep:allow\nb=${t}`;
    expect(detect(text).map((m) => m.start)).toEqual([text.lastIndexOf(t)]);
  });

  it('finds secrets base64-encoded twice and records the chain, located at the encoded run', () => {
    const t = gh(4);
    const twice = Buffer.from(Buffer.from(`token: ${t}`).toString('base64')).toString('base64');
    const text = `log line ${twice} end`;
    const [m] = detect(text);
    expect(m.secret).toBe(t);
    expect(m.encoding).toEqual(['base64', 'base64']);
    expect(text.slice(m.start, m.end)).toBe(twice);
  });

  it('finds percent-encoded, hex-encoded and escaped secrets', () => {
    const t = gh(5);
    expect(detect(`u=${encodeURIComponent(`{"t":"${t}"}`)}`)[0].encoding).toEqual(['percent']);
    expect(detect(`h=${Buffer.from(`t=${t}`).toString('hex')}`)[0].encoding).toEqual(['hex']);
    const escaped = JSON.stringify({ k: `zzkey=\u0051\u0037fK2pL9xM4rT8vB` }).replace('Q7', '\\u0051\\u0037');
    expect(detect(escaped).map((m) => [m.secret, m.encoding])).toEqual([['Q7fK2pL9xM4rT8vB', ['escape']]]);
  });

  it('does not report a plain token twice because an escaped string holds it', () => {
    const t = gh(6);
    expect(detect(`{"a": "line1\\n${t}\\n"}`)).toHaveLength(1);
  });

  it('leaves matches past ownedEnd to the next piece', () => {
    const t = gh(7);
    const text = `${t}\n${t}`;
    expect(detectChunk({ text, origin: { kind: 'file', path: 'f' }, ownedEnd: 5 }, engine)).toHaveLength(1);
  });
});

describe('shannonEntropy', () => {
  it('is 0 for one repeated character and log2(n) for n distinct ones', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });
});
