// Issue 4: `leaksweep git` on a generated 4,000-commit history with both backends, against
// gitleaks (`gitleaks detect`, which runs `git log -p -U0`). `leaksweep staged` latency on the
// same history is bench/staged.bench.js.
// LEAKSWEEP_BENCH_GIT_COMMITS / LEAKSWEEP_BENCH_GIT_FILES make a smaller history;
// LEAKSWEEP_BENCH_GIT_JS=0 skips the (slow, pure-JS) isomorphic-git backend.
import fs from 'node:fs';
import path from 'node:path';
import { ensureGitHistory } from './gen-git-history.js';
import { formatLoad, formatMs, formatRatio, formatRss, MB } from './lib/format.js';
import { readJson } from './lib/reports.js';
import { withScratchDir } from './lib/paths.js';

/** Issue 4's targets: CLI backend at most 0.75x gitleaks' wall time, peak RSS at most 300 MB. */
const TARGET_RATIO = 0.75;
const TARGET_RSS_KB = 300 * 1024;
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
    await history(ctx, scratch, repo, manifest, metrics);
  });
  return metrics;
}
