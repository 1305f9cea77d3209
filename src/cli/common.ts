// What every scanning command shares: loading config and rules, running the scan, writing the
// report, and the exit code (the flags and exit codes themselves are in options.ts).
import { closeSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { isSpecialFile, tempPathFor, writeFileAtomic as writeWholeFile } from '../atomic-file.js';
import { ConfigError } from '../config/config.js';
import { BaselineError } from '../findings/baseline.js';
import { ruleCatalog } from '../engine/analyzer-registry.js';
import { RuleError } from '../engine/rules.js';
import { formatReport, isFormat, FORMATS } from '../report/index.js';
import { JsonlStream } from '../report/jsonl.js';
import type { ScanProgress } from '../scanner/run.js';
import { parseShard, type Shard } from '../scanner/shard.js';
import { CacheUsageError, prepareScan, startScan } from '../scan.js';
import type { Source } from '../sources/source.js';
import type { Finding, Location, Report } from '../types.js';
import { EXIT, positiveInt, UsageError, type CommonValues } from './options.js';

export { cacheOptions, cacheUsage, commonOptions, commonUsage, EXIT, parseSize, positiveInt, UsageError, type CommonValues } from './options.js';

function cannotWrite(file: string, err: unknown): UsageError {
  return new UsageError(`cannot write ${file}: ${(err as Error).message}`);
}

/** Writes a whole report through a temporary file and a rename; a FILE it cannot write is a usage error. */
export function writeFileAtomic(file: string, content: string): void {
  try {
    writeWholeFile(file, content);
  } catch (err) {
    throw cannotWrite(file, err);
  }
}

interface Sink {
  write: (text: string) => void;
  close: () => void;
  /** The scan failed: no half report is left behind. */
  abort: () => void;
}

/** Where a streamed report goes: stdout, or a temporary file renamed over --output at the end. */
function openSink(output: string | undefined): Sink {
  if (!output) return { write: (text) => void process.stdout.write(text), close: () => {}, abort: () => {} };
  const special = isSpecialFile(output);
  const tmp = special ? output : tempPathFor(output);
  // Found now, not after the whole scan when the rename fails.
  if (statSync(output, { throwIfNoEntry: false })?.isDirectory()) throw cannotWrite(output, new Error('it is a folder'));
  let fd: number;
  try {
    fd = openSync(tmp, 'w', 0o600);
  } catch (err) {
    throw cannotWrite(output, err);
  }
  return {
    write: (text) => void writeSync(fd, text),
    close: () => {
      closeSync(fd);
      if (special) return;
      try {
        renameSync(tmp, output);
      } catch (err) {
        rmSync(tmp, { force: true });
        throw cannotWrite(output, err);
      }
    },
    abort: () => {
      closeSync(fd);
      if (!special) rmSync(tmp, { force: true });
    },
  };
}

export interface RunScanCommandOptions {
  /** Where .leaksweep.toml and .leaksweepignore are looked for. */
  root: string;
  maxFileSize?: number;
  /** Printed after a text report that has findings (e.g. how to allow a false positive). */
  hint?: string;
  /** The command's options that change what the scan cache holds (see ScanSettings.cacheScope). */
  cacheScope?: unknown;
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
  if (values['new-only'] && !values.cache) throw new UsageError('--new-only needs --cache FILE');
  let shard: Shard | undefined;
  try {
    shard = values.shard ? parseShard(values.shard) : undefined;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  // isatty(2), not process.stderr.isTTY: the first use of process.stderr sets up a stream (a
  // socket for a pipe), which cost a pre-commit scan that prints nothing there several ms.
  const bar = await progressBar(!values['no-progress'] && process.env.CI !== 'true' && isatty(2));
  const scan = prepareScan({
    root: options.root,
    config: values.config,
    baseline: values.baseline,
    reportStale: values['report-stale'],
    shard,
    jobs: positiveInt(values.jobs, '--jobs'),
    maxFileSize: options.maxFileSize,
    cache: values.cache,
    newOnly: values['new-only'],
    cacheScope: options.cacheScope,
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
  } catch (err) {
    sink?.abort();
    throw err;
  } finally {
    bar.stop();
  }
  if (stream && sink) {
    stream.end(report);
    sink.close();
  } else {
    const color = format === 'text' && !values.output && process.stdout.isTTY === true && !process.env.NO_COLOR;
    let text = await formatReport(report, format, { ...reportOptions, color });
    if (format === 'text' && report.findings.length > 0 && options.hint) text += `${options.hint}\n`;
    if (values.output) writeFileAtomic(values.output, text);
    else process.stdout.write(text);
  }
  if (report.errors.length > 0) return EXIT.incomplete;
  return report.findings.length > 0 ? exitCodeOnFindings : EXIT.clean;
}

export function isUsageProblem(err: unknown): boolean {
  return err instanceof UsageError || err instanceof CacheUsageError || err instanceof ConfigError || err instanceof RuleError || err instanceof BaselineError;
}
