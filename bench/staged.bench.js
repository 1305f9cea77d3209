// Issue 11: `leaksweep staged` in a pre-commit hook, side by side with Node's own start-up
// (`node -e 0`, the floor no Node tool goes below) and with `gitleaks protect --staged`, on a
// one-file change in the 4,000-commit bench history. The three commands run interleaved, run by
// run, so load from other work on the machine falls on all three alike; medians of 20 runs.
// Targets: staged at most `node -e 0` + 60 ms, and at most 1.5x gitleaks.
// LEAKSWEEP_BENCH_STAGED_RUNS changes the run count; LEAKSWEEP_BENCH_GIT_COMMITS /
// LEAKSWEEP_BENCH_GIT_FILES a smaller history (as for the git bench).
import fs from 'node:fs';
import path from 'node:path';
import { ensureGitHistory } from './gen-git-history.js';
import { formatLoad, formatMs, formatRatio } from './lib/format.js';
import { withScratchDir } from './lib/paths.js';
import { median } from './lib/stats.js';

const RUNS = Number(process.env.LEAKSWEEP_BENCH_STAGED_RUNS) || 20;
const TARGET_OVER_NODE_MS = 60;
const TARGET_GITLEAKS_RATIO = 1.5;
const REPORTED = new Set([0, 1]);

/** A clone of the history with one line added to one file and staged. */
async function stagedChange(ctx, repo, work) {
  const run = async (args) => {
    const r = await ctx.measure('git', args);
    if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };
  await run(['clone', '-q', repo, work]);
  const file = (await run(['-C', work, 'ls-files'])).split('\n').find((f) => f.endsWith('.py'));
  fs.appendFileSync(path.join(work, file), 'retry_limit = 3\n');
  await run(['-C', work, 'add', file]);
}

const verdict = (ok) => (ok ? 'PASS' : 'FAIL');

export default async function stagedBench(ctx) {
  const { repo, manifest } = await ensureGitHistory({
    cacheDir: path.join(ctx.tmpDir, 'git-history'),
    commits: Number(process.env.LEAKSWEEP_BENCH_GIT_COMMITS) || undefined,
    files: Number(process.env.LEAKSWEEP_BENCH_GIT_FILES) || undefined,
  });
  return withScratchDir(async (scratch) => {
    const work = path.join(scratch, 'work');
    await stagedChange(ctx, repo, work);
    const commands = [
      { name: 'node -e 0', cmd: process.execPath, args: ['-e', '0'] },
      { name: 'leaksweep staged', cmd: process.execPath, args: [ctx.leaksweep, 'staged', '--format', 'json', '--no-progress'] },
      ...(ctx.gitleaks ? [{ name: 'gitleaks protect --staged', cmd: ctx.gitleaks, args: ['protect', '--staged', '--source', work, '--no-banner', '--exit-code', '0'] }] : []),
    ];
    const loadBefore = formatLoad();
    for (const c of commands) c.walls = [];
    for (let i = 0; i < RUNS; i++) {
      for (const c of commands) {
        const run = await ctx.measure(c.cmd, c.args, { cwd: work });
        if (!REPORTED.has(run.code)) throw new Error(`${c.name} exited ${run.code}: ${run.stderr.slice(0, 500)}`);
        c.walls.push(run.wallMs);
      }
    }
    ctx.log(`${manifest.commits} commits, one staged line; medians of ${RUNS} interleaved runs (${loadBefore} before, ${formatLoad()} after):`);
    const [node, ours, gitleaks] = commands.map((c) => median(c.walls));
    for (const c of commands) ctx.log(`  ${c.name.padEnd(26)} ${formatMs(median(c.walls)).padStart(7)}  (min ${formatMs(Math.min(...c.walls))})`);
    const metrics = { 'node -e 0': formatMs(node), 'leaksweep staged': formatMs(ours) };
    const overNode = ours - node;
    const nodeLine = `staged - node -e 0: ${formatMs(overNode)} (target <= ${TARGET_OVER_NODE_MS} ms): ${verdict(overNode <= TARGET_OVER_NODE_MS)}`;
    ctx.log(nodeLine);
    metrics['over node -e 0'] = nodeLine.split(': ').slice(1).join(': ');
    if (gitleaks === undefined) {
      ctx.log('gitleaks not found: comparison skipped');
      return metrics;
    }
    metrics['gitleaks protect --staged'] = formatMs(gitleaks);
    const ratio = ours / gitleaks;
    const ratioLine = `staged / gitleaks: ${formatRatio(ours, gitleaks)} (target <= ${TARGET_GITLEAKS_RATIO}x): ${verdict(ratio <= TARGET_GITLEAKS_RATIO)}`;
    ctx.log(ratioLine);
    metrics['staged/gitleaks'] = ratioLine.split(': ').slice(1).join(': ');
    return metrics;
  });
}
