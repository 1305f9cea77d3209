// A baseline records what a team has already triaged, by fingerprint only: no secrets and no
// line numbers, so moving code never churns it. Entries are sorted, one a line, so two
// branches that add entries merge cleanly.
import { readFileSync } from 'node:fs';
import type { Finding } from '../types.js';

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
}

export interface Baseline {
  tool: 'leaksweep';
  version: 1;
  fingerprints: BaselineEntry[];
}

export class BaselineError extends Error {}

export function baselineFrom(findings: Pick<Finding, 'fingerprint' | 'ruleId'>[]): Baseline {
  const unique = new Map(findings.map((f) => [f.fingerprint, { fingerprint: f.fingerprint, ruleId: f.ruleId }]));
  return { tool: 'leaksweep', version: 1, fingerprints: [...unique.values()].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1)) };
}

export function formatBaseline(baseline: Baseline): string {
  const lines = baseline.fingerprints.map((e) => `    ${JSON.stringify(e)}`);
  return `{\n  "tool": "leaksweep",\n  "version": 1,\n  "fingerprints": [\n${lines.join(',\n')}\n  ]\n}\n`;
}

export function readBaseline(file: string): Baseline {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new BaselineError(`${file}: not a readable baseline (${(err as Error).message})`);
  }
  const b = parsed as Partial<Baseline>;
  if (!b || !Array.isArray(b.fingerprints) || !b.fingerprints.every((e) => typeof e?.fingerprint === 'string')) {
    throw new BaselineError(`${file}: not a leaksweep baseline (expected { "fingerprints": [ { "fingerprint": ... } ] })`);
  }
  return { tool: 'leaksweep', version: 1, fingerprints: b.fingerprints.map((e) => ({ fingerprint: e.fingerprint, ruleId: String(e.ruleId ?? '') })) };
}
