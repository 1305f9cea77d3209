// The dir bench's corpus generator: deterministic, the requested size, realistic file mix, and
// every planted secret really is at the line the manifest says, in its provider's exact shape.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDirs } from './scratch.js';
import { hasValidTokenChecksum } from '../../src/engine/checksum.js';
// @ts-expect-error plain-JS bench modules have no type declarations
import { ensureSourceCorpus, generateCorpus } from '../../bench/gen-source-corpus.js';

interface Planted {
  kind: string;
  path: string;
  line: number;
}

const tempDir = scratchDirs();

function listFiles(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

function treeHash(root: string): string {
  const hash = createHash('sha256');
  for (const file of listFiles(root)) hash.update(file).update('\0').update(fs.readFileSync(path.join(root, file)));
  return hash.digest('hex');
}

/** The secret shape each kind must have on its planted line. */
const SHAPES: Record<string, (line: string) => boolean> = {
  'github-token': (l) => {
    const m = /\bgh[pousr]_[A-Za-z0-9]{36}\b/.exec(l);
    return m !== null && hasValidTokenChecksum(m[0], 4);
  },
  'npm-token': (l) => {
    const m = /\bnpm_[A-Za-z0-9]{36}\b/.exec(l);
    return m !== null && hasValidTokenChecksum(m[0], 4);
  },
  'aws-access-key-id': (l) => /AWS_ACCESS_KEY_ID.*\bAKIA[A-Z2-7]{16}\b/i.test(l),
  'aws-secret-access-key': (l) => /AWS_SECRET_ACCESS_KEY.*[^A-Za-z0-9+/][A-Za-z0-9+/]{40}(?![A-Za-z0-9+/])/i.test(l),
  'slack-bot-token': (l) => /\bxoxb-\d{12}-\d{13}-[A-Za-z0-9]{24}\b/.test(l),
  'stripe-live-key': (l) => /\bsk_live_[A-Za-z0-9]{24}\b/.test(l),
  'pem-private-key': (l) => /^\s*-----BEGIN (?:RSA|EC) PRIVATE KEY-----$/.test(l),
};

describe('generateCorpus', () => {
  const a = path.join(tempDir(), 'tree');
  const b = path.join(tempDir(), 'tree');
  const manifest = generateCorpus(a, { seed: 7, megabytes: 1.5 });

  it('is deterministic for a seed and size', () => {
    expect(generateCorpus(b, { seed: 7, megabytes: 1.5 })).toEqual(manifest);
    expect(treeHash(b)).toBe(treeHash(a));
    const other = path.join(tempDir(), 'tree');
    generateCorpus(other, { seed: 8, megabytes: 1.5 });
    expect(treeHash(other)).not.toBe(treeHash(a));
  });

  it('writes at least the requested size as many small files in a nested tree of many languages', () => {
    const files = listFiles(a);
    const bytes = files.reduce((n, f) => n + fs.statSync(path.join(a, f)).size, 0);
    expect(bytes).toBe(manifest.totalBytes);
    expect(bytes).toBeGreaterThanOrEqual(1.5 * 1024 * 1024);
    expect(files.length).toBe(manifest.files);
    expect(files.length).toBeGreaterThan(40);
    const exts = new Set(files.map((f) => path.extname(f)));
    for (const ext of ['.js', '.ts', '.py', '.go', '.java', '.json', '.md']) expect(exts).toContain(ext);
    expect(files.some((f) => f.endsWith('.min.js'))).toBe(true);
    expect(Math.max(...files.map((f) => f.split(path.sep).length))).toBeGreaterThanOrEqual(4);
    for (const f of files.filter((f) => !f.endsWith('.pem'))) {
      expect(fs.statSync(path.join(a, f)).size).toBeLessThan(60 * 1024);
    }
  });

  it('puts each planted secret, in its exact shape, at the line the manifest names', () => {
    const kinds = new Map<string, number>();
    for (const p of manifest.planted as Planted[]) kinds.set(p.kind, (kinds.get(p.kind) ?? 0) + 1);
    expect(Object.fromEntries(kinds)).toEqual({
      'github-token': 20,
      'aws-access-key-id': 5,
      'aws-secret-access-key': 5,
      'slack-bot-token': 5,
      'stripe-live-key': 3,
      'npm-token': 2,
      'pem-private-key': 2,
    });
    for (const p of manifest.planted as Planted[]) {
      const lines = fs.readFileSync(path.join(a, p.path), 'utf8').split(/\r?\n/);
      expect(SHAPES[p.kind](lines[p.line - 1]), `${p.kind} at ${p.path}:${p.line}`).toBe(true);
    }
  });

  it('has no token-shaped value anywhere but the planted lines', () => {
    const plantedLines = new Set((manifest.planted as Planted[]).map((p) => `${p.path}:${p.line}`));
    const tokenShape = /\b(?:gh[pousr]_|npm_|xox[bp]-|sk_live_|AKIA[A-Z2-7]{16})|PRIVATE KEY-----/;
    const stray: string[] = [];
    for (const file of listFiles(a)) {
      fs.readFileSync(path.join(a, file), 'utf8')
        .split(/\r?\n/)
        .forEach((line, i) => {
          if (tokenShape.test(line) && !plantedLines.has(`${file}:${i + 1}`) && !/-----END/.test(line)) stray.push(`${file}:${i + 1}`);
        });
    }
    expect(stray).toEqual([]);
  });
});

describe('ensureSourceCorpus', () => {
  it('generates once, reuses the cache while the stamp matches, and rebuilds when it does not', () => {
    const cacheDir = tempDir();
    const first = ensureSourceCorpus({ cacheDir, megabytes: 0.3 });
    expect(first.generated).toBe(true);
    expect(first.root).toBe(path.join(cacheDir, 'tree'));
    const marker = path.join(first.root, 'marker.txt');
    fs.writeFileSync(marker, 'kept while cached');
    const second = ensureSourceCorpus({ cacheDir, megabytes: 0.3 });
    expect(second.generated).toBe(false);
    expect(second.manifest).toEqual(first.manifest);
    expect(fs.existsSync(marker)).toBe(true);
    const third = ensureSourceCorpus({ cacheDir, megabytes: 0.4 });
    expect(third.generated).toBe(true);
    expect(fs.existsSync(marker)).toBe(false);
    expect(fs.readdirSync(cacheDir).sort()).toEqual(['planted.json', 'stamp.json', 'tree']);
  });
});
