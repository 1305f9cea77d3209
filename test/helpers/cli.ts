// Runs the built CLI (`npm test` builds first when the sources changed) as a user would.
//
// `runCli` runs the command's own bundle, the file bin/leaksweep.js runs for it, in this process:
// its arguments, working folder, environment, report, messages and exit code are the CLI's, but
// without a new Node process per run. Starting one is most of what a small scan costs (about
// 0.35 of 0.45 CPU-seconds), and the suite runs a few hundred. What only a process shows (reading
// standard input, a crash's stack trace, peak memory, temp files left at exit, a hook run by git)
// is tested through `spawnCli`: the fault-injection contract (test/faults/) runs every case so.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { commandBundle, loadBundle } from '../../src/cli/code-cache.js';

export { tempDir } from './temp-dir.js';

export const BIN = resolve(import.meta.dirname, '../../bin/leaksweep.js');
const DIST = resolve(import.meta.dirname, '../../dist');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** Standard input: given, the CLI runs as a process of its own (spawnCli). */
  input?: string;
  /** Set for the run; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
}

/** Runs bin/leaksweep.js in a new Node process. */
export function spawnCli(args: string[], options: CliOptions = {}): CliResult {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    input: options.input,
    encoding: 'utf8',
    env,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

type Main = (argv: string[]) => Promise<number>;
const mains = new Map<string, Promise<Main>>();

/** What bin/leaksweep.js runs for `command` (its bundle, or the command table), loaded once. */
function mainFor(command: string | undefined): Promise<Main> {
  const file = commandBundle(DIST, command ?? '') ?? join(DIST, 'leaksweep.js');
  let main = mains.get(file);
  if (!main) {
    // Loaded as the bin loads it: a command's bundle by loadBundle (which keeps no code cache
    // from a test run), the command table imported (vitest.config.ts keeps dist/ out of the test
    // runner's transform).
    main = file.endsWith('.cjs')
      ? Promise.resolve((loadBundle(file, () => false) as { main: Main }).main)
      : (import(/* @vite-ignore */ pathToFileURL(file).href) as Promise<{ main: Main }>).then((m) => m.main);
    mains.set(file, main);
  }
  return main;
}

/** One in-process run at a time: each takes over the process's working folder, environment and output. */
let queue: Promise<unknown> = Promise.resolve();

/** Runs the CLI with `args` in this process (see the top of this file); with `input`, as a process. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  if (options.input !== undefined) return Promise.resolve(spawnCli(args, options));
  const run = queue.then(() => runInProcess(args, options));
  queue = run.catch(() => undefined);
  return run;
}

async function runInProcess(args: string[], options: CliOptions): Promise<CliResult> {
  const main = await mainFor(args[0]);
  const out: string[] = [];
  const err: string[] = [];
  const { stdout, stderr } = process;
  const writes = { out: stdout.write, err: stderr.write };
  const capture = (into: string[]) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      done?.();
      return true;
    }) as typeof stdout.write;
  const saved = new Map(Object.keys(options.env ?? {}).map((key) => [key, process.env[key]]));
  const cwd = process.cwd();
  const childrenBefore = childProcesses();
  let code: number;
  try {
    setEnv(options.env ?? {});
    if (options.cwd) process.chdir(options.cwd);
    stdout.write = capture(out);
    stderr.write = capture(err);
    code = await main(args);
  } catch (e) {
    // What Node does with an exception nothing caught: its stack on stderr, exit code 1.
    err.push(`${(e as Error).stack ?? String(e)}\n`);
    code = 1;
  } finally {
    stdout.write = writes.out;
    stderr.write = writes.err;
    process.chdir(cwd);
    setEnv(Object.fromEntries(saved));
  }
  await expectNoProcessLeft(childrenBefore);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** This process's child processes (Linux: /proc/self/task/<thread>/children); empty where unknown. */
function childProcesses(): Set<number> {
  const pids = new Set<number>();
  try {
    for (const task of readdirSync('/proc/self/task')) {
      for (const pid of readFileSync(`/proc/self/task/${task}/children`, 'utf8').split(' ')) if (pid) pids.add(Number(pid));
    }
  } catch {
    // Not Linux: nothing to compare.
  }
  return pids;
}

/**
 * A process the command started and left running (a git it did not stop) would keep a real CLI
 * from exiting; run in-process it would go unnoticed, so it fails the run here instead.
 */
async function expectNoProcessLeft(before: Set<number>): Promise<void> {
  const left = () => [...childProcesses()].filter((pid) => !before.has(pid));
  for (let waited = 0; left().length > 0 && waited < 2000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  const pids = left();
  if (pids.length === 0) return;
  const names = pids.map((pid) => {
    try {
      return `${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim()}`;
    } catch {
      return String(pid);
    }
  });
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  throw new Error(`the command left processes running: ${names.join('; ')}`);
}

function setEnv(values: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

export interface JsonReport {
  findings: {
    ruleId: string;
    fingerprint: string;
    secret: string;
    severity: string;
    locations: { path: string; line: number; column: number; endLine: number; endColumn: number; [k: string]: unknown }[];
  }[];
  errors: { kind: string; path: string; message: string }[];
  warnings: { kind: string; path: string; message: string }[];
  stats: Record<string, number>;
}

export function parseReport(stdout: string): JsonReport {
  return JSON.parse(stdout) as JsonReport;
}

/** The units a scan cache file holds (those with findings, and those that hold none). */
export function cachedUnits(cacheFile: string): string[] {
  const file = JSON.parse(readFileSync(cacheFile, 'utf8')) as { units: object; clean?: string[] };
  return [...Object.keys(file.units), ...(file.clean ?? [])];
}
