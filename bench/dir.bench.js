// Issue 2: how fast `leaksweep dir` scans a large source tree, single-threaded and with
// workers, how much memory it takes, whether it finds every planted secret, and how it
// compares with gitleaks; then false positives and speed on real code (the Python standard
// library and global node_modules). Set LEAKSWEEP_BENCH_PROFILE=1 to add a CPU profile of the
// single-threaded scan, LEAKSWEEP_BENCH_MB=N for a smaller (or larger) generated corpus.
import fs from 'node:fs';
import path from 'node:path';
import { ensureSourceCorpus } from './gen-source-corpus.js';
import { hottestFunctions } from './lib/cpu-profile.js';
import { formatLoad, formatMs, formatRatio, formatRss, formatThroughput, MB } from './lib/format.js';
import { gitleaksDirArgs } from './lib/gitleaks.js';
import { REPO_ROOT, withScratchDir } from './lib/paths.js';
import { compareWithPlanted, gitleaksLocations, leaksweepLocations, readJson, recallByKind } from './lib/reports.js';

export const REAL_CODE_DIRS = ['/usr/lib/python3.11', '/usr/lib/node_modules'];
/** Issue 2's target on real code: at most half of gitleaks' wall time. */
const REAL_CODE_TARGET_RATIO = 0.5;
const SHOWN_MISSES = 10;

/** Exit codes that mean leaksweep produced a report: 0 clean, 1 findings, 3 incomplete. */
const REPORTED = new Set([0, 1, 3]);

/** Runs `leaksweep dir <root>` with a JSON report; returns the run and the parsed report. */
async function leaksweepDir(ctx, root, reportPath, extraArgs = [], nodeArgs = []) {
  const args = [...nodeArgs, ctx.leaksweep, 'dir', root, '--format', 'json', '--no-progress', '--output', reportPath, ...extraArgs];
  const run = await ctx.measure(process.execPath, args);
  if (!REPORTED.has(run.code) || !fs.existsSync(reportPath)) {
    throw new Error(`leaksweep dir ${root} exited ${run.code}: ${run.stderr.trim().slice(0, 2000)}`);
  }
  const report = readJson(reportPath);
  if (run.code === 3) ctx.log(`  leaksweep could not read ${report.errors.length} input(s), first: ${JSON.stringify(report.errors[0])}`);
  return { run, report };
}

async function gitleaksDir(ctx, root, reportPath) {
  const run = await ctx.measure(ctx.gitleaks, gitleaksDirArgs(root, reportPath));
  if (run.code !== 0 || !fs.existsSync(reportPath)) {
    throw new Error(`gitleaks on ${root} exited ${run.code}: ${run.stderr.trim().slice(-2000)}`);
  }
  return { run, locations: gitleaksLocations(readJson(reportPath), root) };
}

/** Never shows more than a prefix of a value, whatever the report holds. */
function redacted(secret) {
  if (typeof secret !== 'string') return '';
  return secret.includes('…') ? secret : `${secret.slice(0, 4)}…(${secret.length} chars)`;
}

function logRecall(ctx, tool, planted, comparison) {
  ctx.log(`  ${tool} recall ${comparison.found}/${comparison.total}: ${recallByKind(planted, comparison.missed)}`);
  for (const miss of comparison.missed.slice(0, SHOWN_MISSES)) ctx.log(`    missed ${miss.kind} at ${miss.path}:${miss.line}`);
  if (comparison.extra.length > 0) {
    ctx.log(`  ${tool}: ${comparison.extra.length} finding location(s) that were not planted:`);
    for (const extra of comparison.extra.slice(0, SHOWN_MISSES)) ctx.log(`    ${extra.ruleId} ${extra.path}:${extra.line}`);
  }
}

async function sourceCorpus(ctx, scratch, metrics) {
  const started = performance.now();
  const megabytes = Number(process.env.LEAKSWEEP_BENCH_MB) || undefined;
  const { root, manifest, generated } = ensureSourceCorpus({ cacheDir: path.join(ctx.tmpDir, 'source'), megabytes });
  const { totalBytes, planted } = manifest;
  ctx.log(
    `source corpus ${root}: ${manifest.files} files, ${(totalBytes / MB).toFixed(1)} MB, ${planted.length} planted secrets` +
      (generated ? ` (generated in ${formatMs(performance.now() - started)})` : ' (cached)'),
  );
  metrics['source corpus'] = `${(totalBytes / MB).toFixed(1)} MB in ${manifest.files} files, ${planted.length} planted`;

  const runs = {};
  const modes = [['--jobs 1', ['--jobs', '1']], ['workers (default)', []]];
  for (const [i, [label, extra]] of modes.entries()) {
    const { run, report } = await leaksweepDir(ctx, root, path.join(scratch, `leaksweep-source-${i}.json`), extra);
    runs[label] = run;
    const comparison = compareWithPlanted(planted, leaksweepLocations(report));
    const line = `${formatThroughput(totalBytes, run.wallMs)} (${formatMs(run.wallMs)}), peak RSS ${formatRss(run.peakRssKb)}, recall ${comparison.found}/${comparison.total}`;
    ctx.log(`leaksweep ${label}: ${line}; ${formatLoad()}; stats ${JSON.stringify(report.stats)}`);
    logRecall(ctx, 'leaksweep', planted, comparison);
    metrics[`leaksweep ${label}`] = line;
  }

  if (!ctx.gitleaks) {
    ctx.log('gitleaks not found: comparison skipped');
    return;
  }
  const { run, locations } = await gitleaksDir(ctx, root, path.join(scratch, 'gitleaks-source.json'));
  const comparison = compareWithPlanted(planted, locations);
  const line = `${formatThroughput(totalBytes, run.wallMs)} (${formatMs(run.wallMs)}), peak RSS ${formatRss(run.peakRssKb)}, recall ${comparison.found}/${comparison.total}`;
  ctx.log(`gitleaks: ${line}; ${formatLoad()}`);
  logRecall(ctx, 'gitleaks', planted, comparison);
  metrics.gitleaks = line;
  const ratios = Object.entries(runs).map(([label, r]) => `${label} ${formatRatio(r.wallMs, run.wallMs)}`).join(', ');
  ctx.log(`wall time leaksweep/gitleaks: ${ratios}`);
  metrics['time leaksweep/gitleaks'] = ratios;
}

async function realCode(ctx, scratch, metrics) {
  const dirs = REAL_CODE_DIRS.filter((d) => fs.existsSync(d));
  if (dirs.length === 0) {
    ctx.log(`real-code corpus skipped: none of ${REAL_CODE_DIRS.join(', ')} exists`);
    return;
  }
  // One run per folder for both tools: gitleaks takes one --source and does not follow a
  // symlinked folder, so a folder of symlinks would not work for it.
  let leaksweepMs = 0;
  let leaksweepRss = -1;
  let bytes = 0;
  let filesScanned = 0;
  let filesSkipped = 0;
  const findings = [];
  let gitleaksMs = 0;
  let gitleaksRss = -1;
  const gitleaksFindings = [];
  for (const [i, dir] of dirs.entries()) {
    const { run, report } = await leaksweepDir(ctx, dir, path.join(scratch, `leaksweep-real-${i}.json`));
    leaksweepMs += run.wallMs;
    leaksweepRss = Math.max(leaksweepRss, run.peakRssKb);
    bytes += report.stats.bytesScanned;
    filesScanned += report.stats.filesScanned;
    filesSkipped += report.stats.filesSkipped;
    for (const finding of report.findings) {
      for (const loc of finding.locations) findings.push(`${finding.ruleId} ${path.join(dir, loc.path)}:${loc.line} ${redacted(finding.secret)}`);
    }
    if (ctx.gitleaks) {
      const gl = await gitleaksDir(ctx, dir, path.join(scratch, `gitleaks-real-${i}.json`));
      gitleaksMs += gl.run.wallMs;
      gitleaksRss = Math.max(gitleaksRss, gl.run.peakRssKb);
      gitleaksFindings.push(...gl.locations.map((loc) => ({ ...loc, path: path.join(dir, loc.path) })));
    }
  }
  const line = `${formatMs(leaksweepMs)} for ${(bytes / MB).toFixed(1)} MB in ${filesScanned} files (${filesSkipped} skipped), peak RSS ${formatRss(leaksweepRss)}, ${findings.length} finding location(s)`;
  ctx.log(`real code (${dirs.join(' + ')}): leaksweep ${line}; ${formatLoad()}`);
  metrics['real code leaksweep'] = line;
  for (const f of findings) ctx.log(`  ${f}`);
  if (findings.length > 0) ctx.log(`  target missed: 0 findings expected on real code`);
  if (!ctx.gitleaks) return;
  const byRule = new Map();
  for (const f of gitleaksFindings) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
  const rules = [...byRule].map(([rule, n]) => `${rule} ${n}`).join(', ');
  ctx.log(`real code: gitleaks ${formatMs(gitleaksMs)}, peak RSS ${formatRss(gitleaksRss)}, ${gitleaksFindings.length} finding(s)${rules ? ` (${rules})` : ''}`);
  for (const f of gitleaksFindings.slice(0, SHOWN_MISSES)) ctx.log(`  gitleaks ${f.ruleId} ${f.path}:${f.line}`);
  const ratio = leaksweepMs / gitleaksMs;
  ctx.log(`real code wall time leaksweep/gitleaks: ${formatRatio(leaksweepMs, gitleaksMs)} (target <= ${REAL_CODE_TARGET_RATIO}x${ratio <= REAL_CODE_TARGET_RATIO ? ', met' : ', missed'})`);
  metrics['real code gitleaks'] = `${formatMs(gitleaksMs)}, ${gitleaksFindings.length} findings`;
  metrics['real code time leaksweep/gitleaks'] = formatRatio(leaksweepMs, gitleaksMs);
}

async function cpuProfile(ctx, scratch, metrics) {
  const root = path.join(ctx.tmpDir, 'source', 'tree');
  const profileDir = path.join(scratch, 'cpu-profile');
  const { run } = await leaksweepDir(ctx, root, path.join(scratch, 'leaksweep-profiled.json'), ['--jobs', '1'], ['--cpu-prof', '--cpu-prof-dir', profileDir]);
  ctx.log(`CPU profile of leaksweep --jobs 1 (${formatMs(run.wallMs)} under the profiler), hottest functions by self time:`);
  const hottest = hottestFunctions(profileDir);
  for (const f of hottest) {
    const where = f.where ? path.relative(REPO_ROOT, f.where) : '';
    ctx.log(`  ${(f.share * 100).toFixed(1).padStart(5)}%  ${formatMs(f.ms).padStart(8)}  ${f.name}  ${where}`);
  }
  metrics['hottest function'] = hottest[0] ? `${hottest[0].name} ${(hottest[0].share * 100).toFixed(1)}%` : 'n/a';
}

export default async function dirBench(ctx) {
  const metrics = {};
  await withScratchDir(async (scratch) => {
    await sourceCorpus(ctx, scratch, metrics);
    if (process.env.LEAKSWEEP_BENCH_PROFILE === '1') await cpuProfile(ctx, scratch, metrics);
    await realCode(ctx, scratch, metrics);
  });
  return metrics;
}
