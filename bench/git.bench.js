// Issue 4: `leaksweep git` on a generated 4,000-commit history with both backends, against
// gitleaks (`gitleaks detect`, which runs `git log -p -U0`). `leaksweep staged` latency on the
// same history is bench/staged.bench.js.
// LEAKSWEEP_BENCH_GIT_COMMITS / LEAKSWEEP_BENCH_GIT_FILES make a smaller history;
// LEAKSWEEP_BENCH_GIT_JS=0 skips the (slow, pure-JS) isomorphic-git backend.
// Issue 11: a `--cache` sweep after 10 new commits against the first sweep (and a full scan);
// LEAKSWEEP_BENCH_GIT_ONLY=cache runs only that part.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureGitHistory } from './gen-git-history.js';
import { githubToken } from './lib/fake-secrets.js';
import { measureCpu } from './lib/cpu-time.js';
import { createRng } from './lib/prng.js';
import { formatLoad, formatMs, formatRatio, formatRss, MB } from './lib/format.js';
import { readJson } from './lib/reports.js';
import { median } from './lib/stats.js';
import { withScratchDir } from './lib/paths.js';

/** Issue 4's targets: CLI backend at most 0.75x gitleaks' wall time, peak RSS at most 300 MB. */
const TARGET_RATIO = 0.75;
const TARGET_RSS_KB = 300 * 1024;
/** Issue 11: a cached sweep after this many new commits takes at most this share of the first. */
const NEW_COMMITS = 10;
const TARGET_CACHED_SHARE = 0.1;
const CACHED_RUNS = 5;
const REPORTED = new Set([0, 1, 3]);

const plantedKey = (p) => `${p.commit}:${p.path}:${p.line}`;

async function leaksweepGit(ctx, repo, backend, reportPath) {
  const args = [ctx.leaksweep, 'git', repo, '--git-backend', backend, '--format', 'json', '--no-progress', '--output', reportPath];
  const run = await ctx.measure(process.execPath, args);
  if (!REPORTED.has(run.code) || !fs.existsSync(reportPath)) throw new Error(`leaksweep git (${backend}) exited ${run.code}: ${run.stderr.trim().slice(0, 2000)}`);
  const report = readJson(reportPath);
  const locations = report.findings.flatMap((f) => f.locations.map((l) => `${l.commit}:${l.path}:${l.line}`));
  return { run, report, locations: new Set(locations), fingerprints: new Set(report.findings.map((f) => f.fingerprint)) };
}

function recall(planted, locations) {
  const missed = planted.filter((p) => !locations.has(plantedKey(p)));
  return { found: planted.length - missed.length, missed };
}

async function history(ctx, scratch, repo, manifest, metrics) {
  const { planted } = manifest;
  const cli = await leaksweepGit(ctx, repo, 'cli', path.join(scratch, 'cli.json'));
  const cliRecall = recall(planted, cli.locations);
  const cliLine = `${formatMs(cli.run.wallMs)}, peak RSS ${formatRss(cli.run.peakRssKb)}, recall ${cliRecall.found}/${planted.length}, ${cli.report.findings.length} findings, ${cli.report.errors.length} errors`;
  ctx.log(`leaksweep git (cli backend): ${cliLine}; ${formatLoad()}`);
  for (const m of cliRecall.missed) ctx.log(`  missed ${m.kind} at ${m.commit.slice(0, 10)} ${m.path}:${m.line}`);
  metrics['leaksweep cli'] = cliLine;
  if (cli.run.peakRssKb > TARGET_RSS_KB) ctx.log(`  target missed: peak RSS over ${formatRss(TARGET_RSS_KB)}`);

  if (ctx.gitleaks) {
    const reportPath = path.join(scratch, 'gitleaks.json');
    const run = await ctx.measure(ctx.gitleaks, ['detect', '--source', repo, '--no-banner', '--report-format', 'json', '--report-path', reportPath, '--exit-code', '0']);
    if (run.code !== 0 || !fs.existsSync(reportPath)) throw new Error(`gitleaks detect exited ${run.code}: ${run.stderr.trim().slice(-2000)}`);
    const leaks = readJson(reportPath);
    const glRecall = recall(planted, new Set(leaks.map((l) => `${l.Commit}:${l.File}:${l.StartLine}`)));
    const line = `${formatMs(run.wallMs)}, peak RSS ${formatRss(run.peakRssKb)}, recall ${glRecall.found}/${planted.length}, ${leaks.length} leaks`;
    ctx.log(`gitleaks detect: ${line}; ${formatLoad()}`);
    metrics.gitleaks = line;
    const ratio = cli.run.wallMs / run.wallMs;
    const verdict = ratio <= TARGET_RATIO ? 'met' : 'missed';
    ctx.log(`wall time leaksweep cli/gitleaks: ${formatRatio(cli.run.wallMs, run.wallMs)} (target <= ${TARGET_RATIO}x, ${verdict})`);
    metrics['time cli/gitleaks'] = formatRatio(cli.run.wallMs, run.wallMs);
  } else ctx.log('gitleaks not found: comparison skipped');

  if (process.env.LEAKSWEEP_BENCH_GIT_JS === '0') return;
  const js = await leaksweepGit(ctx, repo, 'js', path.join(scratch, 'js.json'));
  const jsRecall = recall(planted, js.locations);
  const same = js.fingerprints.size === cli.fingerprints.size && [...js.fingerprints].every((f) => cli.fingerprints.has(f));
  const sameLocations = js.locations.size === cli.locations.size && [...js.locations].every((l) => cli.locations.has(l));
  const line = `${formatMs(js.run.wallMs)}, peak RSS ${formatRss(js.run.peakRssKb)}, recall ${jsRecall.found}/${planted.length}, fingerprints ${same ? 'identical to' : 'DIFFERENT from'} cli, locations ${sameLocations ? 'identical' : 'different'}`;
  ctx.log(`leaksweep git (js backend): ${line}; ${formatLoad()}`);
  metrics['leaksweep js'] = line;
}

/** Adds `count` commits on top of HEAD of the bare repository `repo` (one plants a token). */
function addCommits(repo, count) {
  const rng = createRng(11);
  const head = execFileSync('git', ['-C', repo, 'symbolic-ref', 'HEAD'], { encoding: 'utf8' }).trim();
  let stream = '';
  for (let i = 0; i < count; i++) {
    const when = 2_000_000_000 + i * 60;
    const body = i === count >> 1 ? `release_token = "${githubToken(rng)}"\n` : `# release note ${i}\nversion = "1.${i}"\n`;
    stream += `commit ${head}\ncommitter Bench <bench@example.org> ${when} +0000\ndata 10\nrelease ${i}\n`;
    if (i === 0) stream += `from ${head}^0\n`;
    stream += `M 100644 inline releases/r${i}.py\ndata ${Buffer.byteLength(body)}\n${body}\n`;
  }
  execFileSync('git', ['-C', repo, 'fast-import', '--quiet'], { input: stream });
}

/** Everything a full scan must equal: each finding with its places. */
function resultKey(report) {
  return JSON.stringify(report.findings.map((f) => [f.fingerprint, f.locations.map((l) => `${l.commit}:${l.path}:${l.line}:${l.column}`).sort()]).sort());
}

/**
 * Issue 11: a first `--cache` sweep of the history, NEW_COMMITS new commits, then the cached
 * sweep (median of CACHED_RUNS, each from the first sweep's cache): its time against the
 * first's, and its report against a full scan of the same history.
 */
async function cachedSweep(ctx, scratch, repo, metrics) {
  const clone = path.join(scratch, 'cached.git');
  execFileSync('git', ['clone', '-q', '--mirror', repo, clone]);
  const cache = path.join(scratch, 'sweep.cache');
  const firstCache = path.join(scratch, 'first.cache');
  const sweep = async (name, extra) => {
    const out = path.join(scratch, `${name}.json`);
    const run = await measureCpu(process.execPath, [ctx.leaksweep, 'git', clone, '--format', 'json', '--no-progress', '--output', out, ...extra]);
    if (!REPORTED.has(run.code)) throw new Error(`leaksweep git ${extra.join(' ')} exited ${run.code}: ${run.stderr.slice(0, 2000)}`);
    return { run, report: readJson(out) };
  };
  const first = await sweep('first', ['--cache', cache]);
  fs.copyFileSync(cache, firstCache);
  addCommits(clone, NEW_COMMITS);
  const walls = [];
  const cpus = [];
  let second;
  for (let i = 0; i < CACHED_RUNS; i++) {
    fs.copyFileSync(firstCache, cache);
    second = await sweep('second', ['--cache', cache]);
    walls.push(second.run.wallMs);
    cpus.push(second.run.cpuMs);
  }
  const full = await sweep('full', []);
  const wall = median(walls);
  const share = wall / first.run.wallMs;
  const cpuShare = median(cpus) / first.run.cpuMs;
  const same = resultKey(second.report) === resultKey(full.report);
  const s = second.report.stats;
  const line =
    `first ${formatMs(first.run.wallMs)} (${first.report.stats.commits} commits), after ${NEW_COMMITS} new commits ${formatMs(wall)} ` +
    `(median of ${CACHED_RUNS}; ${s.commits} commits read, ${s.commitsCached} from the cache) = ${(share * 100).toFixed(1)}% of the first ` +
    `(target <= ${TARGET_CACHED_SHARE * 100}%, ${share <= TARGET_CACHED_SHARE ? 'met' : 'missed'}); CPU time ${formatMs(median(cpus))} = ` +
    `${(cpuShare * 100).toFixed(1)}% of the first's ${formatMs(first.run.cpuMs)}; results ${same ? 'identical to' : 'DIFFERENT from'} a full scan ` +
    `(${second.report.findings.length} findings; the full scan without a cache: ${formatMs(full.run.wallMs)}, CPU ${formatMs(full.run.cpuMs)}); ` +
    `cache ${(fs.statSync(cache).size / 1024).toFixed(0)} KB`;
  ctx.log(`leaksweep git --cache: ${line}; ${formatLoad()}`);
  metrics['git --cache'] = line;
  if (!same) throw new Error('the cached sweep differs from a full scan');
}

export default async function gitBench(ctx) {
  const metrics = {};
  const started = performance.now();
  const { repo, manifest, generated } = await ensureGitHistory({
    cacheDir: path.join(ctx.tmpDir, 'git-history'),
    commits: Number(process.env.LEAKSWEEP_BENCH_GIT_COMMITS) || undefined,
    files: Number(process.env.LEAKSWEEP_BENCH_GIT_FILES) || undefined,
  });
  const what = `${manifest.commits} commits, ${manifest.files} files, ${(manifest.blobBytes / MB).toFixed(1)} MB of blob versions, ${manifest.planted.length} planted secrets`;
  ctx.log(`history ${repo}: ${what}${generated ? ` (generated in ${formatMs(performance.now() - started)})` : ' (cached)'}`);
  metrics.history = what;
  await withScratchDir(async (scratch) => {
    if (process.env.LEAKSWEEP_BENCH_GIT_ONLY !== 'cache') {
      await history(ctx, scratch, repo, manifest, metrics);
    }
    await cachedSweep(ctx, scratch, repo, metrics);
  });
  return metrics;
}
