#!/usr/bin/env node
// The evaluation harness (`npm run eval`, after a build): generates the labelled corpus, scans
// it with leaksweep and, when installed, gitleaks; prints recall, precision and F1 overall and
// per kind side by side, the misses and false positives; then scans the real-code corpus (no
// secrets in it) and prints its finding count. Exit 1 when a target of issue 3 is not met.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { formatTable } from '../bench/lib/format.js';
import { findGitleaks, gitleaksDirArgs } from '../bench/lib/gitleaks.js';
import { LEAKSWEEP_BIN } from '../bench/lib/paths.js';
import { DEFAULT_CORPUS, writeCorpus } from './generate.js';
import { score } from './lib/score.js';

const REAL_CODE = ['/usr/lib/python3.11', '/usr/lib/node_modules'];
const TARGETS = { recall: 0.98, precision: 0.99 };

function run(cmd, args) {
  const started = performance.now();
  const result = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { ...result, ms: performance.now() - started };
}

/** leaksweep's findings on `root` as places { file, line, ruleId, secret? }. */
function leaksweepHits(root, reportPath, showSecrets = false) {
  const args = [LEAKSWEEP_BIN, 'dir', root, '--format', 'json', '--output', reportPath, '--no-progress', ...(showSecrets ? ['--show-secrets'] : [])];
  const result = run(process.execPath, args);
  if (result.status !== 0 && result.status !== 1) throw new Error(`leaksweep exited ${result.status}: ${result.stderr}`);
  const report = JSON.parse(fs.readFileSync(reportPath, 'utf8'));
  const hits = report.findings.flatMap((f) => f.locations.map((l) => ({ file: l.path, line: l.line, ruleId: f.ruleId, ...(showSecrets ? { secret: f.secret } : {}) })));
  return { hits, ms: result.ms, report };
}

function gitleaksHits(bin, root, reportPath) {
  const result = run(bin, gitleaksDirArgs(root, reportPath));
  if (result.status !== 0) throw new Error(`gitleaks exited ${result.status}: ${result.stderr.slice(0, 500)}`);
  const findings = JSON.parse(fs.readFileSync(reportPath, 'utf8') || '[]');
  const rel = (file) => path.relative(root, path.resolve(file.startsWith('/') ? file : path.join(process.cwd(), file)));
  return { hits: findings.map((f) => ({ file: rel(f.File), line: f.StartLine, ruleId: f.RuleID, secret: f.Secret })), ms: result.ms };
}

const pct = (x) => (x * 100).toFixed(1) + '%';

function printScores(results) {
  const names = Object.keys(results);
  const rows = [['', ...names]];
  rows.push(['recall', ...names.map((n) => pct(results[n].recall))]);
  rows.push(['precision', ...names.map((n) => pct(results[n].precision))]);
  rows.push(['F1', ...names.map((n) => results[n].f1.toFixed(3))]);
  rows.push(['true places', ...names.map((n) => String(results[n].truePositives))]);
  rows.push(['false places', ...names.map((n) => String(results[n].falsePositives))]);
  rows.push(['scan time', ...names.map((n) => `${Math.round(results[n].ms)} ms`)]);
  console.log(formatTable(rows));
  const kindRows = [['kind', 'labels', ...names.map((n) => `${n} (found / flagged)`)]];
  const first = results[names[0]];
  const allKinds = new Map();
  for (const n of names) for (const k of results[n].kinds) allKinds.set(`${k.type}:${k.kind}`, k);
  for (const [key, k] of [...allKinds].sort()) {
    kindRows.push([
      `${k.type === 'secret' ? 'secret' : 'decoy '} ${k.kind}`,
      String(k.total),
      ...names.map((n) => {
        const mine = results[n].kinds.find((x) => `${x.type}:${x.kind}` === key);
        if (!mine) return '0';
        return k.type === 'secret' ? `${mine.hit}/${mine.total} (${pct(mine.hit / mine.total)})` : String(mine.hit);
      }),
    ]);
  }
  void first;
  console.log('\nper kind (secrets: found/labelled; decoys: labelled decoys flagged):');
  console.log(formatTable(kindRows));
}

function printDetails(name, result, limit = 40) {
  console.log(`\n${name}: ${result.misses.length} missed secret(s)${result.misses.length > limit ? ` (first ${limit})` : ''}`);
  for (const m of result.misses.slice(0, limit)) console.log(`  miss  ${m.kind.padEnd(28)} ${m.file}:${m.line}`);
  console.log(`${name}: ${result.falsePositiveList.length} false positive place(s)${result.falsePositiveList.length > limit ? ` (first ${limit})` : ''}`);
  for (const f of result.falsePositiveList.slice(0, limit)) console.log(`  fp    ${f.kind.padEnd(28)} ${f.place}  [${f.rules.join(', ')}]`);
}

function main() {
  fs.mkdirSync(DEFAULT_CORPUS, { recursive: true });
  const { root, files, labels } = writeCorpus(DEFAULT_CORPUS);
  const secretLabels = labels.filter((l) => l.type === 'secret');
  console.log(
    `corpus: ${files.length} files, ${secretLabels.length} labelled secrets of ${new Set(secretLabels.map((l) => l.kind)).size} kinds, ` +
      `${labels.length - secretLabels.length} labelled decoys of ${new Set(labels.filter((l) => l.type === 'decoy').map((l) => l.kind)).size} kinds\n`,
  );
  const results = {};
  // The corpus is fake: its report may hold raw values, so secrets can be compared.
  const mine = leaksweepHits(root, path.join(DEFAULT_CORPUS, 'leaksweep.json'), true);
  results.leaksweep = { ...score(labels, mine.hits), ms: mine.ms };
  const gitleaks = findGitleaks();
  if (gitleaks) {
    const theirs = gitleaksHits(gitleaks, root, path.join(DEFAULT_CORPUS, 'gitleaks.json'));
    results.gitleaks = { ...score(labels, theirs.hits), ms: theirs.ms };
  } else {
    console.log('gitleaks not installed (bash /work/shared/peers/install.sh): leaksweep only\n');
  }
  printScores(results);
  for (const [name, result] of Object.entries(results)) printDetails(name, result, name === 'leaksweep' ? 100 : 15);

  console.log('\nreal-code corpus (no secrets): ' + REAL_CODE.join(' + '));
  let realFindings = 0;
  for (const dir of REAL_CODE.filter((d) => fs.existsSync(d))) {
    const { report, ms } = leaksweepHits(dir, path.join(DEFAULT_CORPUS, `real-${path.basename(dir)}.json`));
    const places = report.findings.flatMap((f) => f.locations.map((l) => `  ${f.ruleId.padEnd(30)} ${l.path}:${l.line}`));
    realFindings += report.findings.length;
    console.log(`  ${dir}: ${report.findings.length} finding(s), ${report.stats.filesScanned} files, ${(report.stats.bytesScanned / 1048576).toFixed(1)} MB in ${Math.round(ms)} ms`);
    for (const p of places.slice(0, 30)) console.log(p);
  }

  const r = results.leaksweep;
  const checks = [
    [`recall ${pct(r.recall)} >= ${pct(TARGETS.recall)}`, r.recall >= TARGETS.recall],
    [`precision ${pct(r.precision)} >= ${pct(TARGETS.precision)}`, r.precision >= TARGETS.precision],
    [`real-code corpus findings ${realFindings} == 0`, realFindings === 0],
  ];
  if (results.gitleaks) {
    checks.push([`recall ahead of gitleaks (${pct(results.gitleaks.recall)})`, r.recall > results.gitleaks.recall]);
    checks.push([`precision ahead of gitleaks (${pct(results.gitleaks.precision)})`, r.precision > results.gitleaks.precision]);
  }
  console.log('\ntargets:');
  for (const [text, ok] of checks) console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${text}`);
  return checks.every(([, ok]) => ok) ? 0 : 1;
}

process.exitCode = main();
