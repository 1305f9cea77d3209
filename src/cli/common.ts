// What every scanning command shares: the common flags, loading config and rules, running the
// scan, writing the report, and the exit code.
import { chmodSync, closeSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { ConfigError } from '../config/config.js';
import { BaselineError } from '../findings/baseline.js';
import { ruleCatalog } from '../engine/analyzer-registry.js';
import { RuleError } from '../engine/rules.js';
import { formatReport, isFormat, FORMATS } from '../report/index.js';
import { JsonlStream } from '../report/jsonl.js';
import type { ScanProgress } from '../scanner/run.js';
import { parseShard, type Shard } from '../scanner/shard.js';
import { prepareScan, startScan } from '../scan.js';
import type { Source } from '../sources/source.js';
import type { Finding, Location, Report } from '../types.js';

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
  --jobs, -j N           worker threads (default: number of CPUs)
  --exit-code N          exit code when there are findings (default 1)
  --baseline FILE        report only findings whose fingerprint is not in FILE
  --report-stale         with --baseline: list baseline entries this scan no longer sees
  --shard K/N            scan only part K of N of the input (merge the parts with leaksweep merge)`;

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

/** Where a report is written before it is renamed over its destination. */
function tempPathFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
}

/** Writes through a temporary file and a rename, so a reader never sees half a report. */
export function writeFileAtomic(file: string, content: string): void {
  const tmp = tempPathFor(file);
  try {
    writeFileSync(tmp, content, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Where a streamed report goes: stdout, or a temporary file renamed over --output at the end. */
function openSink(output: string | undefined): { write: (text: string) => void; close: () => void } {
  if (!output) return { write: (text) => void process.stdout.write(text), close: () => {} };
  const tmp = tempPathFor(output);
  const fd = openSync(tmp, 'w', 0o600);
  return {
    write: (text) => void writeSync(fd, text),
    close: () => {
      closeSync(fd);
      renameSync(tmp, output);
    },
  };
}

export interface RunScanCommandOptions {
  /** Where .leaksweep.toml and .leaksweepignore are looked for. */
  root: string;
  maxFileSize?: number;
  /** Printed after a text report that has findings (e.g. how to allow a false positive). */
  hint?: string;
}

/** The bar's fields: totals and rates since the scan started (a history counts commits, not files). */
export function progressFields(p: ScanProgress, elapsedMs: number): Record<string, string | number> {
  const seconds = Math.max(elapsedMs, 1) / 1000;
  const mb = p.bytes / 1e6;
  const what = p.commits > 0 ? `${p.commits} commits (${Math.round(p.commits / seconds)}/s)` : `${p.files} files`;
  return { what, mb: mb.toFixed(1), mbps: (mb / seconds).toFixed(1), findings: p.findings };
}

async function progressBar(enabled: boolean): Promise<{ update: (p: ScanProgress) => void; stop: () => void }> {
  if (!enabled) return { update: () => {}, stop: () => {} };
  const { SingleBar } = (await import('cli-progress')).default;
  const bar = new SingleBar(
    { format: 'scanning | {what} | {mb} MB ({mbps} MB/s) | {findings} findings', stream: process.stderr, clearOnComplete: true, hideCursor: true },
  );
  const started = Date.now();
  bar.start(0, 0, progressFields({ files: 0, bytes: 0, findings: 0, errors: 0, commits: 0 }, 0));
  let last = 0;
  return {
    update: (p) => {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      bar.update(0, progressFields(p, now - started));
    },
    stop: () => bar.stop(),
  };
}

/** Runs the scan a command set up, prints or writes the report, and returns the exit code. */
export async function runScanCommand(sources: Source[], values: CommonValues, options: RunScanCommandOptions): Promise<number> {
  const format = values.format ?? (process.stdout.isTTY ? 'text' : 'json');
  if (!isFormat(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${format}"`);
  const exitCodeOnFindings = positiveInt(values['exit-code'], '--exit-code') ?? EXIT.findings;
  if (values['report-stale'] && !values.baseline) throw new UsageError('--report-stale needs --baseline FILE');
  let shard: Shard | undefined;
  try {
    shard = values.shard ? parseShard(values.shard) : undefined;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const bar = await progressBar(process.stderr.isTTY === true && !values['no-progress'] && process.env.CI !== 'true');
  const scan = prepareScan({
    root: options.root,
    config: values.config,
    baseline: values.baseline,
    reportStale: values['report-stale'],
    shard,
    jobs: positiveInt(values.jobs, '--jobs'),
    maxFileSize: options.maxFileSize,
  });
  const reportOptions = { showSecrets: values['show-secrets'] === true, rules: ruleCatalog(scan.rules) };
  // JSON Lines go out while the scan runs, each finding's places as they are found, and the
  // scan keeps none of them: memory stays flat however large the sweep.
  const sink = format === 'jsonl' ? openSink(values.output) : undefined;
  const stream = sink ? new JsonlStream(sink.write, reportOptions) : undefined;
  const run = startScan(scan, sources, {
    onProgress: bar.update,
    ...(stream ? { retainLocations: false, onLocations: (finding: Finding, locations: Location[]) => stream.places(finding, locations) } : {}),
  });
  let report: Report;
  try {
    report = await run.report;
  } finally {
    bar.stop();
  }
  if (stream && sink) {
    stream.end(report);
    sink.close();
  } else {
    const color = format === 'text' && !values.output && process.stdout.isTTY === true && !process.env.NO_COLOR;
    let text = formatReport(report, format, { ...reportOptions, color });
    if (format === 'text' && report.findings.length > 0 && options.hint) text += `${options.hint}\n`;
    if (values.output) writeFileAtomic(values.output, text);
    else process.stdout.write(text);
  }
  if (report.errors.length > 0) return EXIT.incomplete;
  return report.findings.length > 0 ? exitCodeOnFindings : EXIT.clean;
}

export function isUsageProblem(err: unknown): boolean {
  return err instanceof UsageError || err instanceof ConfigError || err instanceof RuleError || err instanceof BaselineError;
}
