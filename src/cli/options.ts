// The common flags, their usage text and the exit codes: what a command needs before it scans,
// kept apart from common.ts (which loads the whole scanner) so that a command can start its
// input (e.g. git for `staged`) before that is loaded.

export const EXIT = { clean: 0, findings: 1, usage: 2, incomplete: 3 } as const;

export class UsageError extends Error {}

/** Flags every scanning command takes (node:util parseArgs options). */
export const commonOptions = {
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  config: { type: 'string', short: 'c' },
  'show-secrets': { type: 'boolean' },
  'no-progress': { type: 'boolean' },
  jobs: { type: 'string', short: 'j' },
  'exit-code': { type: 'string' },
  baseline: { type: 'string' },
  'report-stale': { type: 'boolean' },
  shard: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const commonUsage = `Common options:
  --format text|json     report format (default: text on a terminal, json otherwise)
  --output, -o FILE      write the report to FILE (atomically, mode 0600) instead of stdout
  --config, -c FILE      config file (default: .leaksweep.toml in the scanned root)
  --show-secrets         print secrets in clear (redacted by default)
  --no-progress          no progress bar (it is only shown on a terminal anyway)
  --jobs, -j N           threads that scan, this one included (default: number of CPUs)
  --exit-code N          exit code when there are findings (default 1)
  --baseline FILE        report only findings whose fingerprint is not in FILE
  --report-stale         with --baseline: list baseline entries this scan no longer sees
  --shard K/N            scan only part K of N of the input (merge the parts with leaksweep merge)`;

/** Flags of the commands that can sweep incrementally (git, tfstate, dir, logs, artifact). */
export const cacheOptions = {
  cache: { type: 'string' },
  'new-only': { type: 'boolean' },
} as const;

export const cacheUsage = `Incremental sweeps:
  --cache FILE           scan cache: what is in it is not read again, what is read is added
                         (commits, S3 object versions, files by content); a sweep still reports
                         every finding present, with firstSeen/lastSeen; none by default
  --new-only             with --cache: report only findings no earlier sweep reported`;

export interface CommonValues {
  format?: string;
  output?: string;
  config?: string;
  'show-secrets'?: boolean;
  'no-progress'?: boolean;
  jobs?: string;
  'exit-code'?: string;
  baseline?: string;
  'report-stale'?: boolean;
  shard?: string;
  cache?: string;
  'new-only'?: boolean;
}

export function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} takes a whole number, not "${value}"`);
  return Number(value);
}

/** Parses a size such as 25MB, 512k, 1G or a plain byte count. */
export function parseSize(value: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)?$/i.exec(value.trim());
  if (!m) throw new UsageError(`${flag} takes a size such as 25MB or 1048576, not "${value}"`);
  const power = ' kmgt'.indexOf(m[2].toLowerCase() || ' ');
  return Math.round(Number(m[1]) * 1024 ** power);
}
