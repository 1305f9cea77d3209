#!/usr/bin/env node
// The bench runner: `node bench/run.js [name...]` runs bench/<name>.bench.js (all, sorted, when
// no name is given). Each module's default export gets a context (see makeContext) and may
// return `{ metric: value }` for the summary table. A failing module is reported and the others
// still run; the exit code is 1 if any failed, 2 for an unknown bench name.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatLoad, formatMs, formatTable } from './lib/format.js';
import { findGitleaks } from './lib/gitleaks.js';
import { createMeasure } from './lib/measure.js';
import { BENCH_DIR, CORPUS_DIR, ensureDir, LEAKSWEEP_BIN } from './lib/paths.js';

const SUFFIX = '.bench.js';

/** Bench names (file names without `.bench.js`) in `dir`, sorted. */
export function listBenches(dir) {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort();
}

/**
 * The context every bench module receives:
 * { log, tmpDir, gitleaks?, leaksweep, measure }.
 */
export function makeContext(name, shared, print) {
  const ctx = {
    log: (line) => print(`[${name}] ${line}`),
    tmpDir: shared.tmpDir,
    leaksweep: shared.leaksweep,
    measure: shared.measure,
  };
  if (shared.gitleaks) ctx.gitleaks = shared.gitleaks;
  return ctx;
}

/**
 * Runs the named benches from `dir` one after the other.
 * Returns one result per bench: { name, ok, ms, metrics?, error? }.
 */
export async function runBenches({ dir, names, shared, print }) {
  const results = [];
  for (const name of names) {
    const started = performance.now();
    try {
      const mod = await import(pathToFileURL(path.join(dir, name + SUFFIX)).href);
      if (typeof mod.default !== 'function') throw new Error(`${name}${SUFFIX} has no default export function`);
      const metrics = await mod.default(makeContext(name, shared, print));
      results.push({ name, ok: true, ms: performance.now() - started, metrics: metrics ?? undefined });
    } catch (err) {
      print(`[${name}] FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      results.push({ name, ok: false, ms: performance.now() - started, error: err });
    }
  }
  return results;
}

/** One row per bench, then one row per metric it returned. */
export function summaryTable(results) {
  const rows = [['bench', 'status', 'time', 'result']];
  for (const r of results) {
    const firstLine = r.ok ? '' : String(r.error instanceof Error ? r.error.message : r.error).split('\n')[0];
    rows.push([r.name, r.ok ? 'ok' : 'FAILED', formatMs(r.ms), firstLine]);
    if (r.metrics && typeof r.metrics === 'object') {
      for (const [metric, value] of Object.entries(r.metrics)) rows.push(['', '', '', `${metric}: ${value}`]);
    }
  }
  return formatTable(rows);
}

async function main(argv) {
  const available = listBenches(BENCH_DIR);
  const unknown = argv.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    console.error(`unknown bench: ${unknown.join(', ')} (available: ${available.join(', ') || 'none'})`);
    return 2;
  }
  const names = argv.length > 0 ? available.filter((name) => argv.includes(name)) : available;
  const measure = createMeasure();
  const shared = { tmpDir: ensureDir(CORPUS_DIR), leaksweep: LEAKSWEEP_BIN, gitleaks: findGitleaks(), measure };
  console.log(`benches: ${names.join(', ')}`);
  console.log(`leaksweep: ${shared.leaksweep}`);
  console.log(`gitleaks: ${shared.gitleaks ?? 'not found (comparisons skipped)'}`);
  console.log(`peak RSS: ${measure.method}`);
  console.log(`machine: ${formatLoad()}`);
  const results = await runBenches({ dir: BENCH_DIR, names, shared, print: (line) => console.log(line) });
  console.log(`\nmachine: ${formatLoad()}\n` + summaryTable(results));
  return results.every((r) => r.ok) ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
