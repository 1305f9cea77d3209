// The bench harness: process measurement, the runner contract, gitleaks discovery, report
// comparison and CPU profile summaries, on real child processes and real files.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDirs } from './scratch.js';
// @ts-expect-error plain-JS bench modules have no type declarations
import { createMeasure, findGnuTime, parseCpuMs, parsePeakRss } from '../../bench/lib/measure.js';
// @ts-expect-error plain-JS bench modules have no type declarations
import { listBenches, runBenches, summaryTable } from '../../bench/run.js';
// @ts-expect-error plain-JS bench modules have no type declarations
import { findGitleaks } from '../../bench/lib/gitleaks.js';
// @ts-expect-error plain-JS bench modules have no type declarations
import { compareWithPlanted, gitleaksLocations, recallByKind } from '../../bench/lib/reports.js';
// @ts-expect-error plain-JS bench modules have no type declarations
import { hottestFunctions } from '../../bench/lib/cpu-profile.js';

const tempDir = scratchDirs();

const ALLOCATE_200MB = 'const b = Buffer.alloc(200 * 1024 * 1024, 1); setTimeout(() => process.exit(b[0] + 6), 300);';

const methods: Array<[string, string | null]> = [['/proc polling', null]];
if (findGnuTime()) methods.push(['GNU time', findGnuTime()]);

describe.each(methods)('measure with %s', (_name, timeBin) => {
  const measure = createMeasure({ timeBin });

  it('reports peak RSS, wall time and the exit code of the child', async () => {
    const run = await measure(process.execPath, ['-e', ALLOCATE_200MB]);
    expect(run.code).toBe(7);
    expect(run.peakRssKb).toBeGreaterThan(200 * 1024);
    expect(run.peakRssKb).toBeLessThan(1024 * 1024);
    expect(run.wallMs).toBeGreaterThanOrEqual(300);
  });

  it('feeds input, collects stdout and stderr, and passes cwd and env', async () => {
    const cwd = tempDir();
    const script = 'process.stdin.pipe(process.stdout); console.error(process.cwd(), process.env.BENCH_PROBE);';
    const run = await measure(process.execPath, ['-e', script], { cwd, input: 'hello bench', env: { BENCH_PROBE: 'probe-value' } });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('hello bench');
    expect(run.stderr.trim()).toBe(`${fs.realpathSync(cwd)} probe-value`);
  });

  it('reports the CPU time of the child and the processes it waited for, with GNU time only', async () => {
    // The child spins for 300 ms of CPU in a grandchild, then 0 in itself: only rusage of
    // waited-for descendants can see it.
    const spin = 'const t = process.cpuUsage(); while (process.cpuUsage(t).user < 300000);';
    const script = `require('node:child_process').execFileSync(process.execPath, ['-e', ${JSON.stringify(spin)}]);`;
    const run = await measure(process.execPath, ['-e', script]);
    expect(run.code).toBe(0);
    if (timeBin === null) expect(run.cpuMs).toBeUndefined();
    else expect(run.cpuMs).toBeGreaterThanOrEqual(300);
  });

  it('rejects when the command does not exist', async () => {
    await expect(measure('/nonexistent/leaksweep-no-such-binary', [])).rejects.toThrow(/cannot run/);
  });
});

describe('parsePeakRss', () => {
  it('reads the last line of GNU time output, after a non-zero status line', () => {
    expect(parsePeakRss('Command exited with non-zero status 1\n52340\n')).toBe(52340);
    expect(parsePeakRss('')).toBe(-1);
  });
});

describe('parseCpuMs', () => {
  it('adds user and system seconds from the line before the peak RSS', () => {
    expect(parseCpuMs('Command exited with non-zero status 1\n12.34 0.56\n52340\n')).toBe(12900);
    expect(parseCpuMs('52340\n')).toBeUndefined();
  });
});

describe('runner', () => {
  function writeBench(dir: string, name: string, body: string): void {
    fs.writeFileSync(path.join(dir, `${name}.bench.js`), body);
  }

  it('runs benches in order, gives each the context, reports a failure and goes on', async () => {
    const dir = tempDir();
    writeBench(dir, 'b-fails', 'export default async () => { throw new Error("corpus missing"); };');
    writeBench(dir, 'a-ok', 'export default async (ctx) => { ctx.log("hello " + Object.keys(ctx).sort().join(",")); return { speed: "12 MB/s" }; };');
    writeBench(dir, 'c-ok', 'export default async (ctx) => { const r = await ctx.measure(process.execPath, ["-e", "console.log(6*7)"]); ctx.log("got " + r.stdout.trim()); };');
    fs.writeFileSync(path.join(dir, 'helper.js'), 'export default () => { throw new Error("not a bench"); };');
    expect(listBenches(dir)).toEqual(['a-ok', 'b-fails', 'c-ok']);

    const lines: string[] = [];
    const shared = { tmpDir: dir, leaksweep: '/x/bin/leaksweep.js', gitleaks: '/x/gitleaks', measure: createMeasure({ timeBin: null }) };
    const results = await runBenches({ dir, names: listBenches(dir), shared, print: (l: string) => lines.push(l) });

    expect(results.map((r: { name: string; ok: boolean }) => [r.name, r.ok])).toEqual([['a-ok', true], ['b-fails', false], ['c-ok', true]]);
    expect(lines[0]).toBe('[a-ok] hello gitleaks,leaksweep,log,measure,tmpDir');
    expect(lines.some((l) => l.startsWith('[b-fails] FAILED: Error: corpus missing'))).toBe(true);
    expect(lines).toContain('[c-ok] got 42');
    const table = summaryTable(results);
    expect(table).toMatch(/a-ok\s+ok/);
    expect(table).toMatch(/b-fails\s+FAILED\s+\S+ ms\s+corpus missing/);
    expect(table).toContain('speed: 12 MB/s');
  });

  it('leaves gitleaks out of the context when it is not installed', async () => {
    const dir = tempDir();
    writeBench(dir, 'probe', 'export default async (ctx) => { ctx.log(String("gitleaks" in ctx)); };');
    const lines: string[] = [];
    const shared = { tmpDir: dir, leaksweep: '/x', measure: createMeasure({ timeBin: null }) };
    await runBenches({ dir, names: ['probe'], shared, print: (l: string) => lines.push(l) });
    expect(lines).toEqual(['[probe] false']);
  });

  it('exits 2 and lists the benches for an unknown bench name', () => {
    const result = spawnSync(process.execPath, ['bench/run.js', 'no-such-bench'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown bench: no-such-bench \(available: .*dir/);
  });
});

describe('findGitleaks', () => {
  it('prefers gitleaks on PATH, then the fallback, and skips files that are not executable', () => {
    const onPath = tempDir();
    const notExecutable = tempDir();
    fs.writeFileSync(path.join(notExecutable, 'gitleaks'), '#!/bin/sh\n', { mode: 0o644 });
    const fallback = path.join(tempDir(), 'gitleaks');
    fs.writeFileSync(fallback, '#!/bin/sh\n', { mode: 0o755 });
    expect(findGitleaks(notExecutable, fallback)).toBe(fallback);
    fs.writeFileSync(path.join(onPath, 'gitleaks'), '#!/bin/sh\n', { mode: 0o755 });
    expect(findGitleaks([notExecutable, onPath].join(path.delimiter), fallback)).toBe(path.join(onPath, 'gitleaks'));
    expect(findGitleaks('', path.join(onPath, 'missing'))).toBeUndefined();
  });
});

describe('report comparison', () => {
  const planted = [
    { kind: 'github-token', path: 'a/b.js', line: 3 },
    { kind: 'github-token', path: 'a/c.py', line: 10 },
    { kind: 'slack-bot-token', path: 'd.env', line: 1 },
  ];

  it('matches by exact path and line, and lists misses and unplanted findings', () => {
    const root = '/corpus/tree';
    const leaks = [
      { RuleID: 'github-pat', File: '/corpus/tree/a/b.js', StartLine: 3 },
      { RuleID: 'github-pat', File: '/corpus/tree/a/c.py', StartLine: 11 },
      { RuleID: 'slack-bot-token', File: '/corpus/tree/d.env', StartLine: 1 },
    ];
    const result = compareWithPlanted(planted, gitleaksLocations(leaks, root));
    expect(result.found).toBe(2);
    expect(result.missed).toEqual([planted[1]]);
    expect(result.extra).toEqual([{ ruleId: 'github-pat', path: 'a/c.py', line: 11 }]);
    expect(recallByKind(planted, result.missed)).toBe('github-token 1/2, slack-bot-token 1/1');
  });
});

describe('hottestFunctions', () => {
  it('finds the function a profiled process spent its time in', () => {
    const dir = tempDir();
    const script = 'function burnCpuForProfile(){let x=0;const end=Date.now()+400;while(Date.now()<end)x+=Math.sqrt(x+1);return x}burnCpuForProfile()';
    execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, '-e', script]);
    const hottest = hottestFunctions(dir, 3);
    expect(hottest.length).toBeGreaterThan(0);
    const burn = hottest.find((f: { name: string }) => f.name === 'burnCpuForProfile');
    expect(burn).toBeDefined();
    expect(burn.share).toBeGreaterThan(0.3);
    expect(hottest.some((f: { name: string }) => f.name === '(idle)')).toBe(false);
  });
});
