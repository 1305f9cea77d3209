// The evaluation harness: the corpus generator is deterministic, meets the sizes issue 3 asks
// for and places every labelled secret where its label says; the scorer counts by place and
// value.
import { describe, expect, it } from 'vitest';
import { buildCorpus } from '../../eval/generate.js';
import { score } from '../../eval/lib/score.js';
import { mixedValue } from '../helpers/mixed-value.js';
import { rng } from '../helpers/secrets.js';

interface Label {
  file: string;
  line: number;
  endLine?: number;
  type: 'secret' | 'decoy';
  kind: string;
  secret?: string;
}

const corpus = buildCorpus() as { files: { name: string; text: string }[]; labels: Label[] };

describe('eval corpus', () => {
  it('is the same on every run', () => {
    const again = buildCorpus() as typeof corpus;
    expect(again.labels).toEqual(corpus.labels);
    expect(again.files.map((f) => f.text)).toEqual(corpus.files.map((f) => f.text));
  });

  it('has the sizes issue 3 asks for', () => {
    const secrets = corpus.labels.filter((l) => l.type === 'secret');
    const decoys = corpus.labels.filter((l) => l.type === 'decoy');
    expect(corpus.files.length).toBeGreaterThanOrEqual(150);
    expect(secrets.length).toBeGreaterThanOrEqual(500);
    expect(new Set(secrets.map((l) => l.kind)).size).toBeGreaterThanOrEqual(30);
    expect(decoys.length).toBeGreaterThanOrEqual(300);
    const decoyKinds = new Set(decoys.map((l) => l.kind));
    for (const kind of ['documented-example', 'placeholder-filler', 'placeholder-template', 'reference', 'git-sha', 'sri-integrity', 'go-sum', 'uuid', 'ssh-public-key', 'spki-public-key', 'pem-public', 'data-uri', 'minified', 'lock-file']) {
      expect(decoyKinds, kind).toContain(kind);
    }
    const extensions = new Set(corpus.files.map((f) => f.name.replace(/^.*\//, '').replace(/^[^.]*/, '') || f.name.replace(/^.*\//, '')));
    for (const ext of ['.env', '.yaml', '.json', '.tf', '.tfstate', '.py', '.js', '.ts', '.go', '.properties', '.sh', 'Dockerfile', '.md', '.log']) {
      expect(extensions, ext).toContain(ext);
    }
  });

  it('writes each secret on the lines its label names', () => {
    const files = new Map(corpus.files.map((f) => [f.name, f.text.split('\n')]));
    const normal = (s: string): string => s.replace(/\\[nr]|\s/g, '');
    const encoded = new Set(['k8s-secret-data', 'base64-encoded-token']);
    for (const label of corpus.labels.filter((l) => l.type === 'secret' && !encoded.has(l.kind))) {
      const lines = files.get(label.file)!.slice(label.line - 1, label.endLine ?? label.line).join('\n');
      expect(normal(lines), `${label.kind} at ${label.file}:${label.line}`).toContain(normal(label.secret!));
    }
  });

  it('makes every value from the seed: another seed, other secrets', () => {
    const another = buildCorpus(0x5eed) as typeof corpus;
    const mine = new Set(corpus.labels.filter((l) => l.kind === 'github-pat-classic').map((l) => l.secret));
    expect(another.labels.filter((l) => l.kind === 'github-pat-classic').some((l) => mine.has(l.secret))).toBe(false);
  });
});

describe('eval scoring', () => {
  const random = rng(0x5c0);
  const [first, second, other] = [mixedValue(random, 16), mixedValue(random, 16), mixedValue(random, 16)];
  const labels: Label[] = [
    { file: 'a.env', line: 1, type: 'secret', kind: 'k1', secret: first },
    { file: 'a.env', line: 2, type: 'secret', kind: 'k2', secret: second },
    { file: 'b.pem', line: 1, endLine: 5, type: 'secret', kind: 'pem', secret: 'BEGINbodyEND-more' },
    { file: 'a.env', line: 3, type: 'decoy', kind: 'placeholder' },
  ];

  it('counts a finding on a secret line with an overlapping value, in any line of a block', () => {
    const result = score(labels, [
      { file: 'a.env', line: 1, ruleId: 'r', secret: first },
      { file: 'b.pem', line: 3, ruleId: 'r' },
    ]);
    expect(result.recall).toBeCloseTo(2 / 3);
    expect(result.precision).toBe(1);
    expect(result.misses.map((m: Label) => m.kind)).toEqual(['k2']);
  });

  it('counts a wrong value on a secret line, and any finding on a decoy, as false positives', () => {
    const result = score(labels, [
      { file: 'a.env', line: 2, ruleId: 'r', secret: other },
      { file: 'a.env', line: 3, ruleId: 'r' },
      { file: 'c.txt', line: 9, ruleId: 'r' },
    ]);
    expect(result.recall).toBe(0);
    expect(result.precision).toBe(0);
    expect(result.falsePositiveList.map((f: { kind: string }) => f.kind).sort()).toEqual(['placeholder', 'unlabelled', 'unlabelled']);
  });

  it('accepts a reported base64 value that decodes to the secret (registry auth)', () => {
    const auth = Buffer.from(`bot:${first}`).toString('base64');
    expect(score(labels, [{ file: 'a.env', line: 1, ruleId: 'r', secret: auth }]).truePositives).toBe(1);
  });
});
