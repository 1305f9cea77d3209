// Reading both tools' JSON reports into one shape, { ruleId, path, line }, to compare them
// with each other and with the secrets a corpus generator planted.
import fs from 'node:fs';
import path from 'node:path';

/** Paths relative to `root` with `/` separators, whatever form the tool printed them in. */
function relativeTo(root, file) {
  const absolute = path.isAbsolute(file) ? file : path.resolve(file);
  const relative = path.relative(path.resolve(root), absolute);
  return (relative.startsWith('..') ? file : relative).split(path.sep).join('/');
}

/** Every location of every finding in a leaksweep JSON report (paths are already root-relative). */
export function leaksweepLocations(report) {
  return report.findings.flatMap((finding) =>
    finding.locations.map((loc) => ({ ruleId: finding.ruleId, path: loc.path, line: loc.line })),
  );
}

/** Every leak in a gitleaks JSON report; `root` is the --source it was run with. */
export function gitleaksLocations(leaks, root) {
  return leaks.map((leak) => ({ ruleId: leak.RuleID, path: relativeTo(root, leak.File), line: leak.StartLine }));
}

export function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

const key = (loc) => `${loc.path}:${loc.line}`;

/**
 * Which planted secrets (`{ kind, path, line }`) a tool found at their exact path and line,
 * and which of its locations are not planted ones (false positives, or accidents of the corpus).
 */
export function compareWithPlanted(planted, locations) {
  const found = new Set(locations.map(key));
  const plantedKeys = new Set(planted.map(key));
  const missed = planted.filter((p) => !found.has(key(p)));
  const extra = locations.filter((loc) => !plantedKeys.has(key(loc)));
  return { found: planted.length - missed.length, total: planted.length, missed, extra };
}

/** "12/20" per kind, for a one-line recall summary. */
export function recallByKind(planted, missed) {
  const totals = new Map();
  for (const p of planted) totals.set(p.kind, (totals.get(p.kind) ?? 0) + 1);
  const misses = new Map();
  for (const m of missed) misses.set(m.kind, (misses.get(m.kind) ?? 0) + 1);
  return [...totals].map(([kind, total]) => `${kind} ${total - (misses.get(kind) ?? 0)}/${total}`).join(', ');
}
