// The contract every fault case is held to, checked on a real run of the built CLI:
//  - no crash and no stack trace; exit 2 only for usage/config errors, with one line naming the input;
//  - each error/warning is one line naming the input (a path matcher per expected entry);
//  - every secret planted in an intact part is reported; the scan went on past the broken part;
//  - the exit code follows the report: 3 when something was not scanned, else 1 with findings, else 0;
//  - no raw secret on stdout, stderr or in the --output file;
//  - no temp file left (the child gets its own TMPDIR, which must be empty afterwards, and the
//    --output folder must hold nothing but the report);
//  - an --output file is complete (JSON that parses, or JSONL ending in its summary) or absent;
//  - peak RSS ≤ 300 MB (GNU time's %M, else /proc VmHWM polling: bench/lib/measure.js).
import { chmodSync, chownSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createMeasure } from '../../bench/lib/measure.js';
import { fingerprint } from '../../src/findings/fingerprint.js';
import { BIN, tempDir } from '../helpers/cli.js';

export const PEAK_RSS_LIMIT_KB = 300 * 1024;

/**
 * `npm run faults` (LEAKSWEEP_FAULTS=full) builds the heavy inputs at the sizes the issue names
 * (a 100 MB line, 20,000 files); within `npm test` they are scaled down so the
 * suite stays short. The cases are the same.
 */
export const FULL = process.env.LEAKSWEEP_FAULTS === 'full';
export const sized = (full: number, quick: number): number => (FULL ? full : quick);

/** One expected errors/warnings entry: `path` must match (a string is a substring of the path). */
export interface Entry {
  path: string | RegExp;
  kind?: string | RegExp;
  message?: RegExp;
}

export interface FaultCase {
  /** What the case feeds the CLI, for messages and the summary. */
  name: string;
  /** Arguments after `leaksweep` (--format, --output and --no-progress are added). */
  args: string[];
  cwd?: string;
  input?: string | Buffer;
  env?: Record<string, string>;
  /** Raw secrets planted in intact parts: each must be reported. */
  intact?: string[];
  /** Fingerprints that must be reported (for inputs that hold no raw secret, e.g. reports fed to merge). */
  intactFingerprints?: string[];
  /** Raw secrets in the broken parts: reported or not, never printed. */
  hidden?: string[];
  /**
   * What the run must say. `usage`: exit 2 and one stderr line matching it (the input's name).
   * Otherwise each listed entry must be in the report (exactly these when `only` is set);
   * 'any' accepts whatever the report lists (fuzzing) but still checks every entry's shape.
   */
  usage?: RegExp;
  /** Exit 2 with one stderr line matching this is also fine (fuzzed configuration); else the scan contract holds. */
  usageOr?: RegExp;
  errors?: Entry[] | 'any';
  warnings?: Entry[] | 'any';
  /** Fail when the report lists an error or warning no expectation matched. */
  only?: boolean;
  format?: 'json' | 'jsonl';
  /** The report goes to stdout instead of --output. */
  toStdout?: boolean;
  timeoutMs?: number;
  /** Run as this uid/gid (root reads every file: an unprivileged user makes permission denied real). */
  asUser?: number;
}

/** The uid of `nobody`, for cases that need permission denied. */
export const NOBODY = 65534;

export interface ReportEntry {
  kind: string;
  path: string;
  message: string;
}

export interface ReadReport {
  findings: { ruleId: string; fingerprint: string; secret: string; locations: { path: string }[] }[];
  errors: ReportEntry[];
  /** Undefined before the report had a warnings list (errors then also held degraded reads). */
  warnings?: ReportEntry[];
}

export interface FaultResult {
  code: number;
  stdout: string;
  stderr: string;
  report?: ReadReport;
  peakRssKb: number;
  wallMs: number;
}

const measure = createMeasure();

/** What the fault suite ran, for its closing note. */
export const summary = { cases: 0, runs: 0, fuzzInputs: 0, worstRssKb: 0, worstCase: '' };

/** A JSON report, or a JSONL one folded into the same shape; throws when it is incomplete. */
export function parseReportText(text: string, format: 'json' | 'jsonl'): ReadReport {
  if (format === 'json') return JSON.parse(text) as ReadReport;
  const lines = text.split('\n').filter((l) => l !== '');
  const records = lines.map((l) => JSON.parse(l) as { type: string } & Record<string, unknown>);
  expect(records.at(-1)?.type, 'a JSONL report ends with its summary line').toBe('summary');
  const byPrint = new Map<string, ReadReport['findings'][number]>();
  const report: ReadReport = { findings: [], errors: [] };
  for (const r of records) {
    if (r.type === 'finding') {
      const f = r as unknown as ReadReport['findings'][number];
      const seen = byPrint.get(f.fingerprint);
      if (seen) seen.locations.push(...f.locations);
      else byPrint.set(f.fingerprint, { ...f, locations: [...f.locations] });
    } else if (r.type === 'error') report.errors.push(r as unknown as ReportEntry);
    else if (r.type === 'warning') (report.warnings ??= []).push(r as unknown as ReportEntry);
  }
  const last = records.at(-1) as { warnings?: unknown };
  if (last.warnings !== undefined) report.warnings ??= [];
  report.findings = [...byPrint.values()];
  return report;
}

function matches(value: string, want: string | RegExp): boolean {
  return typeof want === 'string' ? value.includes(want) : want.test(value);
}

function entryMatches(e: ReportEntry, want: Entry): boolean {
  return matches(e.path, want.path) && (want.kind === undefined || matches(e.kind, want.kind)) && (want.message === undefined || want.message.test(e.message));
}

/** A crash or an internal error dump, as opposed to a message for the user. */
export function assertNoStackTrace(stderr: string, name: string): void {
  expect(stderr, `${name}: stack frame on stderr`).not.toMatch(/^\s+at .+[:(]/m);
  expect(stderr, `${name}: node internals on stderr`).not.toMatch(/node:internal|\(node:\d+\)|Uncaught|FATAL ERROR|Aborted/);
  expect(stderr, `${name}: an error dump on stderr`).not.toMatch(/^\w*Error(?: \[\w+\])?: /m);
}

function assertOneLine(e: ReportEntry, list: string, name: string): void {
  expect(typeof e.path === 'string' && e.path.length > 0, `${name}: ${list} entry without a path: ${JSON.stringify(e)}`).toBe(true);
  expect(typeof e.kind === 'string' && e.kind.length > 0, `${name}: ${list} entry without a kind: ${JSON.stringify(e)}`).toBe(true);
  expect(typeof e.message === 'string' && e.message.length > 0, `${name}: ${list} entry without a reason: ${JSON.stringify(e)}`).toBe(true);
  expect(`${e.path} ${e.message}`, `${name}: ${list} entry is not one line`).not.toMatch(/[\r\n]/);
  expect(e.message.length, `${name}: ${list} message is a dump, not a line`).toBeLessThan(1000);
  assertNoStackTrace(e.message, name);
}

/** Every `want` entry is in `got`; returns the entries nothing matched. */
function consume(got: ReportEntry[], want: Entry[], list: string, name: string): ReportEntry[] {
  const left = [...got];
  for (const w of want) {
    const i = left.findIndex((e) => entryMatches(e, w));
    expect(i, `${name}: no ${list} entry matching ${String(w.path)}${w.kind ? ` (${String(w.kind)})` : ''}; got ${JSON.stringify(got)}`).toBeGreaterThanOrEqual(0);
    left.splice(i, 1);
  }
  return left;
}

/** Runs one case and asserts the whole contract; returns what happened for extra checks. */
export async function runFaultCase(c: FaultCase): Promise<FaultResult> {
  const format = c.format ?? 'json';
  const tmp = tempDir('leaksweep-fault-tmp-');
  const outDir = tempDir('leaksweep-fault-out-');
  const output = join(outDir, `report.${format}`);
  // merge draws no progress bar, so it has no --no-progress.
  const quiet = c.args[0] === 'merge' ? [] : ['--no-progress'];
  const cli = [BIN, ...c.args, '--format', format, ...quiet, ...(c.toStdout ? [] : ['--output', output])];
  let [cmd, args] = [process.execPath, cli];
  if (c.asUser !== undefined) {
    for (const dir of [tmp, outDir]) chownSync(dir, c.asUser, c.asUser);
    [cmd, args] = ['setpriv', [`--reuid=${c.asUser}`, `--regid=${c.asUser}`, '--clear-groups', process.execPath, ...cli]];
  }
  const run = await measure(cmd, args, {
    cwd: c.cwd,
    input: c.input,
    env: { ...c.env, TMPDIR: tmp, CI: '', NO_COLOR: '1' },
    timeoutMs: c.timeoutMs ?? 60_000,
  });
  summary.runs++;
  if (run.peakRssKb > summary.worstRssKb) {
    summary.worstRssKb = run.peakRssKb;
    summary.worstCase = c.name;
  }
  const { name } = c;
  const where = `${name}: exit ${run.code}\nstderr: ${run.stderr.slice(0, 2000)}`;
  expect(run.timedOut, `${name}: did not finish within ${c.timeoutMs ?? 60_000} ms`).toBe(false);
  assertNoStackTrace(run.stderr, name);
  expect(run.peakRssKb, `${name}: peak RSS`).toBeLessThanOrEqual(PEAK_RSS_LIMIT_KB);

  // Nothing left behind: the scan's own temp folder is empty, the output folder holds the report only.
  expect(readdirSync(tmp), `${name}: temp files left in TMPDIR`).toEqual([]);
  const outFiles = readdirSync(outDir);
  expect(outFiles.filter((f) => f !== `report.${format}`), `${name}: temp files left beside --output`).toEqual([]);

  const outputText = existsSync(output) ? readFileSync(output, 'utf8') : undefined;
  for (const secret of [...(c.intact ?? []), ...(c.hidden ?? [])]) {
    const shown = secret.slice(0, 12) + '…';
    expect(run.stdout.includes(secret), `${name}: raw secret ${shown} on stdout`).toBe(false);
    expect(run.stderr.includes(secret), `${name}: raw secret ${shown} on stderr`).toBe(false);
    expect(outputText?.includes(secret) ?? false, `${name}: raw secret ${shown} in --output`).toBe(false);
  }

  const usage = c.usage ?? (run.code === 2 ? c.usageOr : undefined);
  if (usage) {
    expect(run.code, where).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines, `${name}: a usage error is one line`).toHaveLength(1);
    expect(lines[0], `${name}: the usage error names the input`).toMatch(usage);
    expect(outputText, `${name}: no report after a usage error`).toBeUndefined();
    summary.cases++;
    return { ...run, peakRssKb: run.peakRssKb };
  }

  expect(run.code, where).not.toBe(2);
  expect([0, 1, 3], where).toContain(run.code);
  // A scan that writes --output prints nothing but its messages.
  if (!c.toStdout) expect(run.stdout, `${name}: stdout with --output`).toBe('');
  const reportText = c.toStdout ? run.stdout : outputText;
  expect(reportText, `${name}: no report written (${where})`).toBeDefined();
  const report = parseReportText(reportText!, format);

  for (const e of report.errors) assertOneLine(e, 'errors', name);
  for (const e of report.warnings ?? []) assertOneLine(e, 'warnings', name);

  // Until the report has a warnings list, an expected warning may be an error entry or no entry.
  const split = report.warnings !== undefined;
  const wantErrors = c.errors === 'any' ? undefined : (c.errors ?? []);
  const wantWarnings = c.warnings === 'any' ? undefined : (c.warnings ?? []);
  let errorsLeft = report.errors;
  let warningsLeft = report.warnings ?? [];
  if (wantErrors) errorsLeft = consume(errorsLeft, wantErrors, 'errors', name);
  if (wantWarnings && split) warningsLeft = consume(warningsLeft, wantWarnings, 'warnings', name);
  if (wantWarnings && !split) errorsLeft = errorsLeft.filter((e) => !wantWarnings.some((w) => entryMatches(e, w)));
  if (c.only) {
    if (wantErrors) expect(errorsLeft, `${name}: unexpected errors`).toEqual([]);
    if (wantWarnings) expect(warningsLeft, `${name}: unexpected warnings`).toEqual([]);
  }

  for (const secret of c.intact ?? []) {
    const found = report.findings.some((f) => f.fingerprint === fingerprint(f.ruleId, secret));
    expect(found, `${name}: the intact secret ${secret.slice(0, 6)}… was not reported; findings ${JSON.stringify(report.findings.map((f) => [f.ruleId, f.locations[0]?.path]))}; errors ${JSON.stringify(report.errors)}`).toBe(true);
  }
  for (const fp of c.intactFingerprints ?? []) {
    expect(report.findings.some((f) => f.fingerprint === fp), `${name}: fingerprint ${fp.slice(0, 8)} not reported`).toBe(true);
  }

  const expected = report.errors.length > 0 ? 3 : report.findings.length > 0 ? 1 : 0;
  expect(run.code, `${name}: exit code does not follow the report (${report.errors.length} errors, ${report.findings.length} findings)`).toBe(expected);
  summary.cases++;
  return { ...run, report };
}

/** A scratch folder for one case's input. */
export function caseDir(label: string): string {
  const dir = tempDir(`leaksweep-fault-${label}-`);
  // Readable by the unprivileged user some cases run as.
  chmodSync(dir, 0o755);
  return dir;
}

export function printSummary(suite: string): void {
  console.log(
    `[faults] ${suite}: ${summary.cases} cases over ${summary.runs} runs (${summary.fuzzInputs} fuzzed inputs); worst peak RSS ${(summary.worstRssKb / 1024).toFixed(0)} MB (${summary.worstCase})`,
  );
  // The next fault file in this worker shares this module (vitest runs without isolation).
  Object.assign(summary, { cases: 0, runs: 0, fuzzInputs: 0, worstRssKb: 0, worstCase: '' });
}
