// The scan cache file: units that hold nothing are one list of names (a history's commits,
// mostly), units with findings keep their places, a unit holding parts keeps them; a file that
// lists every unit with its places (as earlier versions wrote it) is read the same way.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ScanCache } from '../../src/cache/scan-cache.js';
import { commitUnit } from '../../src/cache/units.js';
import type { Location, RuleInfo } from '../../src/types.js';
import { cachedUnits, tempDir } from '../helpers/cli.js';

const RULES = new Map<string, RuleInfo>([['test-rule', { id: 'test-rule', title: 'Test', severity: 'high', confidence: 1, keywords: ['tok'] }]]);
const FP = 'f'.repeat(64);
const SECRET = 'tok_0123456789abcdefghij';

function place(commit: string, line: number): Location {
  return { kind: 'git', path: 'a.txt', commit, line, column: 1, endLine: line, endColumn: 10 };
}

const [c1, c2, c3] = ['1', '2', '3'].map((d) => d.repeat(40));

/** A first sweep: c1 holds the finding, c2 and c3 nothing. */
function firstSweep(file: string): void {
  const cache = new ScanCache(file, 'key', RULES);
  for (const c of [c1, c2, c3]) cache.scanned(commitUnit(c));
  cache.record(commitUnit(c1), FP, 'test-rule', SECRET, place(c1, 3));
  cache.save([FP]);
}

describe('scan cache file', () => {
  test('units that hold nothing are listed by name; units with findings keep their places', () => {
    const file = path.join(tempDir(), 'sweep.cache');
    firstSweep(file);
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { units: Record<string, unknown[]>; clean: string[] };
    expect(Object.keys(stored.units)).toEqual([commitUnit(c1)]);
    expect(stored.clean.sort()).toEqual([commitUnit(c2), commitUnit(c3)]);
    expect(fs.readFileSync(file, 'utf8')).not.toContain(SECRET);

    // The next sweep reuses all three: the finding comes back from c1, nothing from the others.
    const next = new ScanCache(file, 'key', RULES);
    expect([c1, c2, c3].every((c) => next.has(commitUnit(c)))).toBe(true);
    expect(next.reuse([commitUnit(c2), commitUnit(c3)])).toEqual([]);
    const matches = next.reuse([commitUnit(c1)]);
    expect(matches).toEqual([{ fingerprint: FP, ruleId: 'test-rule', secret: expect.stringMatching(/^tok_.*…/), location: place(c1, 3) }]);
    expect(next.reusedUnits).toBe(3);
    // c3 is no longer met: it drops out.
    const again = new ScanCache(file, 'key', RULES);
    again.reuse([commitUnit(c1), commitUnit(c2)]);
    again.save([FP]);
    expect(cachedUnits(file).sort()).toEqual([commitUnit(c1), commitUnit(c2)]);
  });

  test('a file listing every unit with its places (the earlier layout) is read, and rewritten as lists', () => {
    const file = path.join(tempDir(), 'sweep.cache');
    firstSweep(file);
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { units: Record<string, unknown[]>; clean?: string[] };
    for (const unit of stored.clean ?? []) stored.units[unit] = [];
    delete stored.clean;
    fs.writeFileSync(file, JSON.stringify(stored));

    const next = new ScanCache(file, 'key', RULES);
    expect(next.warnings).toEqual([]);
    expect([c1, c2, c3].every((c) => next.has(commitUnit(c)))).toBe(true);
    expect(next.reuse([c1, c2, c3].map(commitUnit))).toHaveLength(1);
    next.save([FP]);
    const rewritten = JSON.parse(fs.readFileSync(file, 'utf8')) as { units: Record<string, unknown[]>; clean: string[] };
    expect(Object.keys(rewritten.units)).toEqual([commitUnit(c1)]);
    expect(rewritten.clean).toHaveLength(2);
  });

  test('a unit holding parts keeps them, those that hold nothing too, and reusing it keeps them all', () => {
    const file = path.join(tempDir(), 'parts.cache');
    const archive = 'file ' + 'a'.repeat(64) + ' build.zip';
    const [found, empty] = ['b', 'c'].map((d) => `file ${d.repeat(64)} build.zip!${d}.txt`);
    const first = new ScanCache(file, 'key', RULES);
    first.scanned(found, archive);
    first.scanned(empty, archive);
    first.record(found, FP, 'test-rule', SECRET, { ...place(c1, 1), kind: 'file', path: 'build.zip', archivePath: ['b.txt'] });
    first.scanned(archive);
    first.save([FP]);
    expect(cachedUnits(file).sort()).toEqual([archive, found, empty].sort());

    const next = new ScanCache(file, 'key', RULES);
    // The archive's entries hold its parts': one match, counted once.
    expect(next.reuse([archive])).toHaveLength(1);
    next.save([FP]);
    expect(cachedUnits(file).sort()).toEqual([archive, found, empty].sort());
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { parts: Record<string, string[]>; clean: string[] };
    expect(stored.parts[archive].sort()).toEqual([found, empty].sort());
    expect(stored.clean).toEqual([empty]);

    // An archive whose parts hold nothing at all is still a unit with parts, not a name in the list.
    const bare = path.join(tempDir(), 'bare.cache');
    const sweep = new ScanCache(bare, 'key', RULES);
    sweep.scanned(empty, archive);
    sweep.scanned(archive);
    sweep.save([]);
    const kept = JSON.parse(fs.readFileSync(bare, 'utf8')) as { units: Record<string, unknown[]>; parts: Record<string, string[]>; clean: string[] };
    expect(kept.units[archive]).toEqual([]);
    expect(kept.parts[archive]).toEqual([empty]);
    expect(kept.clean).toEqual([empty]);
    const reused = new ScanCache(bare, 'key', RULES);
    expect(reused.reuse([archive])).toEqual([]);
    reused.save([]);
    expect(cachedUnits(bare).sort()).toEqual([archive, empty].sort());
  });
});
