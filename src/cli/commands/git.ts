import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { GitHistorySource, type BackendChoice, type HistorySelection } from '../../sources/git/index.js';
import { cacheOptions, cacheUsage, commonOptions, commonUsage, runScanCommand, UsageError } from '../common.js';

export const usage = `leaksweep git [PATH] [options]

Scans the history of the git repository at PATH (default "."; a worktree, a subdirectory of
one, or a bare repository): the lines every commit added, so a secret that was committed and
removed later is still found. By default every commit reachable from any branch, tag or other
ref. Each location names the commit, its author, email and date, the path and the line in
that version. A merge commit contributes only what is new relative to all of its parents.
.leaksweep.toml and .leaksweepignore are read from PATH.

  --branch REF           start from REF instead of all refs (repeatable; a branch, tag or commit)
  --ref-glob GLOB        start from the refs matching GLOB, as git rev-list --glob (repeatable)
  --since DATE           only commits committed at or after DATE (ISO 8601)
  --until DATE           only commits committed at or before DATE
  --since-commit SHA     only commits not reachable from SHA (e.g. the last scanned commit)
  --max-commits N        at most N commits, newest first
  --git-backend B        auto (default: the git CLI when git >= 2.20 is on PATH), cli or js

${cacheUsage}

${commonUsage}`;

function parseDate(value: string | undefined, flag: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new UsageError(`${flag} takes a date such as 2024-01-31 or 2024-01-31T12:00:00Z, not "${value}"`);
  return date;
}

function revision(value: string, flag: string): string {
  // A value starting with "-" would reach git rev-list as an option.
  if (value === '' || value.startsWith('-')) throw new UsageError(`${flag} takes a ref or commit, not "${value}"`);
  return value;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      ...commonOptions,
      ...cacheOptions,
      branch: { type: 'string', multiple: true },
      'ref-glob': { type: 'string', multiple: true },
      since: { type: 'string' },
      until: { type: 'string' },
      'since-commit': { type: 'string' },
      'max-commits': { type: 'string' },
      'git-backend': { type: 'string' },
    },
    allowPositionals: true,
  });
  if (positionals.length > 1) throw new UsageError('git takes one PATH');
  const backend = (values['git-backend'] ?? 'auto') as BackendChoice;
  if (!['auto', 'cli', 'js'].includes(backend)) throw new UsageError(`--git-backend must be auto, cli or js, not "${backend}"`);
  const maxCommits = values['max-commits'];
  if (maxCommits !== undefined && !/^\d+$/.test(maxCommits)) throw new UsageError(`--max-commits takes a whole number, not "${maxCommits}"`);
  const selection: HistorySelection = {
    refs: (values.branch ?? []).map((r) => revision(r, '--branch')),
    refGlobs: (values['ref-glob'] ?? []).map((g) => revision(g, '--ref-glob')),
    since: parseDate(values.since, '--since'),
    until: parseDate(values.until, '--until'),
    sinceCommit: values['since-commit'] === undefined ? undefined : revision(values['since-commit'], '--since-commit'),
    maxCommits: maxCommits === undefined ? undefined : Number(maxCommits),
  };
  const repo = resolve(positionals[0] ?? '.');
  // git lists the commits while the scanner loads the rules and the cache.
  const source = new GitHistorySource({ repo, selection, backend }).start();
  return runScanCommand([source], values, { root: repo });
}
