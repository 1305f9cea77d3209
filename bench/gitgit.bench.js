// Issue 11: `leaksweep git` against `gitleaks detect` (8.16) on a large real history: git/git,
// every commit on its branches and tags (~85,000). The repository comes from
// LEAKSWEEP_BENCH_GITGIT_REPO or the first argument (`node bench/gitgit.bench.js PATH`); when it
// holds other refs (a GitHub mirror's refs/pull/*, notes), a bare copy with only heads and tags
// is made once in bench/.corpus/gitgit-heads-tags.git, so both tools walk exactly the same
// commits (gitleaks runs `git log --all`, leaksweep `git rev-list --all`).
// LEAKSWEEP_BENCH_GITGIT_RUNS (default 3) rounds, each under about the same load: leaksweep,
// gitleaks, then the `git log -p` gitleaks runs, alone (output discarded): the diff work any
// scanner of the same history pays, which bounds how far below gitleaks' time a scan can go
// on the machine's cores. Prints one row per round, the medians and the wall-time ratio.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatLoad, formatMs, formatRss, formatTable } from './lib/format.js';
import { findGitleaks } from './lib/gitleaks.js';
import { createMeasure } from './lib/measure.js';
import { CORPUS_DIR, ensureDir, LEAKSWEEP_BIN, withScratchDir } from './lib/paths.js';
import { readJson } from './lib/reports.js';

/** Issue 11's targets: at most half of gitleaks' wall time, peak RSS at most 300 MB. */
const TARGET_RATIO = 0.5;
const TARGET_RSS_KB = 300 * 1024;
const REPORTED = new Set([0, 1, 3]);

const git = (repo, args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 }).trim();

/** `repo` itself when its refs are only branches and tags (and HEAD), else a cached copy that is. */
export function headsAndTags(repo, cacheDir) {
  const refs = git(repo, ['for-each-ref', '--format=%(refname)']).split('\n').filter(Boolean);
  if (refs.every((r) => r.startsWith('refs/heads/') || r.startsWith('refs/tags/'))) return repo;
  const copy = path.join(cacheDir, 'gitgit-heads-tags.git');
  const source = path.resolve(repo);
  const marker = path.join(copy, 'leaksweep-bench-source');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === source) return copy;
  fs.rmSync(copy, { recursive: true, force: true });
  execFileSync('git', ['init', '-q', '--bare', copy]);
  execFileSync('git', ['-C', copy, 'fetch', '-q', '--no-tags', source, 'refs/heads/*:refs/heads/*', 'refs/tags/*:refs/tags/*'], { stdio: 'inherit' });
  fs.writeFileSync(marker, source);
  return copy;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function runLeaksweep(ctx, repo, reportPath) {
  const run = await ctx.measure(process.execPath, [ctx.leaksweep, 'git', repo, '--format', 'json', '--no-progress', '--output', reportPath]);
  if (!REPORTED.has(run.code) || !fs.existsSync(reportPath)) throw new Error(`leaksweep git exited ${run.code}: ${run.stderr.trim().slice(0, 2000)}`);
  const report = readJson(reportPath);
  const seconds = run.wallMs / 1000;
  return {
    wallMs: run.wallMs,
    rssKb: run.peakRssKb,
    cpuMs: run.cpuMs,
    findings: report.findings.length,
    locations: report.findings.reduce((n, f) => n + f.locations.length, 0),
    errors: report.errors.length,
    commitsPerS: report.stats.commits / seconds,
    mbPerS: report.stats.bytesScanned / 1e6 / seconds,
    commits: report.stats.commits,
  };
}

async function runGitleaks(ctx, repo, reportPath) {
  const run = await ctx.measure(ctx.gitleaks, ['detect', '--source', repo, '--no-banner', '--report-format', 'json', '--report-path', reportPath, '--exit-code', '0']);
  if (run.code !== 0 || !fs.existsSync(reportPath)) throw new Error(`gitleaks detect exited ${run.code}: ${run.stderr.trim().slice(-2000)}`);
  const leaks = readJson(reportPath);
  const scanned = /(\d+) commits scanned/.exec(run.stderr)?.[1];
  return { wallMs: run.wallMs, rssKb: run.peakRssKb, cpuMs: run.cpuMs, findings: leaks.length, commits: scanned ? Number(scanned) : undefined };
}

/** The command gitleaks 8.16 runs to read a history, its patches written nowhere. */
async function runGitLog(ctx, repo) {
  const run = await ctx.measure('git', ['-C', repo, 'log', '-p', '-U0', '--full-history', '--all', '--output=/dev/null']);
  if (run.code !== 0) throw new Error(`git log -p exited ${run.code}: ${run.stderr.trim().slice(-2000)}`);
  return { wallMs: run.wallMs, cpuMs: run.cpuMs };
}

const formatCpu = (ms) => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(1)} s`);

export default async function gitgitBench(ctx, given = process.env.LEAKSWEEP_BENCH_GITGIT_REPO) {
  if (!given) {
    ctx.log('no repository: set LEAKSWEEP_BENCH_GITGIT_REPO to a clone of git/git (skipped)');
    return { skipped: 'LEAKSWEEP_BENCH_GITGIT_REPO not set' };
  }
  if (!ctx.gitleaks) throw new Error('gitleaks not found: the comparison needs it');
  const repo = headsAndTags(given, ensureDir(ctx.tmpDir));
  const commits = Number(git(repo, ['rev-list', '--all', '--count']));
  const merges = Number(git(repo, ['rev-list', '--all', '--merges', '--count']));
  ctx.log(`history ${repo}: ${commits} commits (${merges} merges) on ${git(repo, ['for-each-ref']).split('\n').length} branches and tags`);
  const runs = Math.max(1, Number(process.env.LEAKSWEEP_BENCH_GITGIT_RUNS) || 3);
  const rows = [];
  await withScratchDir(async (scratch) => {
    for (let i = 0; i < runs; i++) {
      const loadBefore = formatLoad();
      const ours = await runLeaksweep(ctx, repo, path.join(scratch, `leaksweep-${i}.json`));
      const theirs = await runGitleaks(ctx, repo, path.join(scratch, `gitleaks-${i}.json`));
      const gitLog = await runGitLog(ctx, repo);
      rows.push({ ours, theirs, gitLog, ratio: ours.wallMs / theirs.wallMs, load: `${loadBefore} -> ${formatLoad()}` });
      ctx.log(`run ${i + 1}: leaksweep ${formatMs(ours.wallMs)} ${formatRss(ours.rssKb)}, gitleaks ${formatMs(theirs.wallMs)} ${formatRss(theirs.rssKb)}, ratio ${(ours.wallMs / theirs.wallMs).toFixed(2)}x, git log -p alone ${formatMs(gitLog.wallMs)}; ${rows.at(-1).load}`);
    }
  });
  const table = [['run', 'leaksweep wall', 'CPU', 'peak RSS', 'findings (places)', 'commits/s', 'MB/s', 'gitleaks wall', 'CPU', 'peak RSS', 'leaks', 'ratio', 'git log -p wall', 'CPU', 'load']];
  rows.forEach(({ ours, theirs, gitLog, ratio, load }, i) =>
    table.push([String(i + 1), formatMs(ours.wallMs), formatCpu(ours.cpuMs), formatRss(ours.rssKb), `${ours.findings} (${ours.locations})`, ours.commitsPerS.toFixed(0), ours.mbPerS.toFixed(2), formatMs(theirs.wallMs), formatCpu(theirs.cpuMs), formatRss(theirs.rssKb), String(theirs.findings), `${ratio.toFixed(2)}x`, formatMs(gitLog.wallMs), formatCpu(gitLog.cpuMs), load]),
  );
  const med = (pick) => median(rows.map(pick));
  // CPU is unknown when peak RSS is polled (no GNU time): the medians then say n/a.
  const medCpu = (pick) => (rows.every((r) => pick(r) !== undefined) ? med(pick) : undefined);
  const ratio = med((r) => r.ratio);
  table.push(['median', formatMs(med((r) => r.ours.wallMs)), formatCpu(medCpu((r) => r.ours.cpuMs)), formatRss(med((r) => r.ours.rssKb)), '', med((r) => r.ours.commitsPerS).toFixed(0), med((r) => r.ours.mbPerS).toFixed(2), formatMs(med((r) => r.theirs.wallMs)), formatCpu(medCpu((r) => r.theirs.cpuMs)), formatRss(med((r) => r.theirs.rssKb)), '', `${ratio.toFixed(2)}x`, formatMs(med((r) => r.gitLog.wallMs)), formatCpu(medCpu((r) => r.gitLog.cpuMs)), '']);
  for (const line of formatTable(table).split('\n')) ctx.log(line);
  const cores = availableParallelism();
  const budgetMs = TARGET_RATIO * med((r) => r.theirs.wallMs);
  const diffCpu = medCpu((r) => r.gitLog.cpuMs);
  ctx.log(
    `${TARGET_RATIO}x gitleaks is ${formatMs(budgetMs)} on ${cores} cores, at most ${formatCpu(budgetMs * cores)} of CPU; ` +
      `git's diff work alone (git log -p) takes ${formatCpu(diffCpu)}${diffCpu === undefined ? '' : `, leaving ${formatCpu(budgetMs * cores - diffCpu)} for everything else`}`,
  );
  const rss = Math.max(...rows.map((r) => r.ours.rssKb));
  ctx.log(`targets: wall <= ${TARGET_RATIO}x gitleaks (${ratio <= TARGET_RATIO ? 'met' : 'missed'}), peak RSS <= ${formatRss(TARGET_RSS_KB)} (${rss <= TARGET_RSS_KB ? 'met' : 'missed'})`);
  if (rows.some((r) => r.ours.errors > 0)) ctx.log('leaksweep reported errors: the scan was incomplete');
  return {
    history: `${commits} commits, ${merges} merges`,
    'leaksweep median': `${formatMs(med((r) => r.ours.wallMs))}, peak RSS ${formatRss(rss)}, ${med((r) => r.ours.commitsPerS).toFixed(0)} commits/s`,
    'gitleaks median': `${formatMs(med((r) => r.theirs.wallMs))}, peak RSS ${formatRss(med((r) => r.theirs.rssKb))}`,
    'time leaksweep/gitleaks': `${ratio.toFixed(2)}x (target <= ${TARGET_RATIO}x)`,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const measure = createMeasure();
  const ctx = { log: (line) => console.log(`[gitgit] ${line}`), tmpDir: ensureDir(CORPUS_DIR), leaksweep: LEAKSWEEP_BIN, measure, gitleaks: findGitleaks() };
  console.log(`peak RSS: ${measure.method} (the largest process of each tool's tree, git children included)`);
  const metrics = await gitgitBench(ctx, process.argv[2] ?? process.env.LEAKSWEEP_BENCH_GITGIT_REPO);
  for (const [k, v] of Object.entries(metrics)) console.log(`${k}: ${v}`);
}
