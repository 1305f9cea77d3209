// Wall time, peak resident memory and (with GNU time) CPU time of one child process.
// GNU time (`/usr/bin/time -f %M`) reports the child's peak RSS exactly, from the kernel's
// rusage, and its CPU time with that of every descendant it waited for (git's processes); when
// it is not installed we poll /proc/<pid>/status for VmHWM (the kernel's own high-water mark, so
// a missed poll only loses growth in the child's last few milliseconds) and CPU time is unknown.
// Worker threads live in the child's process, so both ways count them; grandchild processes
// are counted by GNU time only when they are the largest descendant, and not at all by polling.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const GNU_TIME = '/usr/bin/time';
const POLL_MS = 10;

/** The path of GNU time if it is installed and understands `-f %M -o FILE`, else undefined. */
export function findGnuTime(candidate = GNU_TIME) {
  if (!fs.existsSync(candidate)) return undefined;
  const probe = path.join(os.tmpdir(), `leaksweep-time-probe-${process.pid}`);
  try {
    const result = spawnSync(candidate, ['-f', '%M', '-o', probe, 'true'], { stdio: 'ignore' });
    if (result.status !== 0) return undefined;
    return parsePeakRss(fs.readFileSync(probe, 'utf8')) >= 0 ? candidate : undefined;
  } catch {
    return undefined;
  } finally {
    fs.rmSync(probe, { force: true });
  }
}

/** GNU time's -o file: the %M line is last (a "Command exited with non-zero status" line may precede it). */
export function parsePeakRss(text) {
  const lines = text.trim().split('\n');
  const value = Number.parseInt(lines[lines.length - 1], 10);
  return Number.isFinite(value) ? value : -1;
}

/**
 * User plus system CPU time in ms from GNU time's -o file written with TIME_FORMAT (the line
 * before the %M line), or undefined when it is not there.
 */
export function parseCpuMs(text) {
  const lines = text.trim().split('\n');
  const m = /^(\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/.exec(lines[lines.length - 2] ?? '');
  return m ? Math.round((Number(m[1]) + Number(m[2])) * 1000) : undefined;
}

/** GNU time's format: user and system seconds, then peak RSS in KB on a line of its own. */
const TIME_FORMAT = '%U %S\n%M';

/** VmHWM of a live process in KB, or -1 once it is gone. */
export function readVmHwmKb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) : -1;
  } catch {
    return -1;
  }
}

/**
 * Runs `cmd args` to completion and returns
 * `{ wallMs, peakRssKb, cpuMs, stdout, stderr, code, timedOut }` (code is 128+signal when killed by a
 * signal; cpuMs is undefined when measured by polling).
 * `opts`: `{ cwd?, env?, input?, timeoutMs? }`.
 * Rejects when the command cannot be started at all.
 * @param {{ timeBin?: string | null }} [config] timeBin null forces /proc polling.
 * The returned function's `method` says how peak RSS is measured, for the bench's header.
 */
export function createMeasure(config = {}) {
  const timeBin = config.timeBin === undefined ? findGnuTime() : (config.timeBin ?? undefined);
  const measure = (cmd, args = [], opts = {}) =>
    timeBin ? runWithGnuTime(timeBin, cmd, args, opts) : runWithPolling(cmd, args, opts);
  measure.method = timeBin ? `${timeBin} -f %M` : '/proc/<pid>/status VmHWM polling';
  return measure;
}

async function runWithGnuTime(timeBin, cmd, args, opts) {
  const timeFile = path.join(os.tmpdir(), `leaksweep-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  try {
    const run = await runChild(timeBin, ['-f', TIME_FORMAT, '-o', timeFile, cmd, ...args], opts);
    // GNU time exits 127 (not found) or 126 (not executable) without running anything.
    if ((run.code === 127 || run.code === 126) && /cannot run/.test(run.stderr)) {
      throw new Error(`cannot run ${cmd}: ${run.stderr.trim()}`);
    }
    const written = fs.existsSync(timeFile) ? fs.readFileSync(timeFile, 'utf8') : '';
    return { ...run, peakRssKb: written ? parsePeakRss(written) : -1, cpuMs: parseCpuMs(written) };
  } finally {
    fs.rmSync(timeFile, { force: true });
  }
}

async function runWithPolling(cmd, args, opts) {
  let peakRssKb = -1;
  const run = await runChild(cmd, args, opts, (child) => {
    const poll = () => {
      peakRssKb = Math.max(peakRssKb, readVmHwmKb(child.pid));
    };
    poll();
    const timer = setInterval(poll, POLL_MS);
    return () => clearInterval(timer);
  });
  return { ...run, peakRssKb };
}

/**
 * Spawns, feeds `opts.input`, collects output; `watch(child)` may return a stop function.
 * With `opts.timeoutMs` the child runs in its own process group, which is killed whole when
 * the time is up (`timedOut` is then true): a hung command must not hang its caller.
 */
function runChild(cmd, args, opts, watch) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ? { ...process.env, ...opts.env } : process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: opts.timeoutMs !== undefined,
    });
    let timedOut = false;
    const timer =
      opts.timeoutMs === undefined || child.pid === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            try {
              process.kill(-child.pid, 'SIGKILL');
            } catch {
              // already gone
            }
          }, opts.timeoutMs);
    const watching = child.pid !== undefined && watch ? watch(child) : undefined;
    const stop = () => {
      clearTimeout(timer);
      watching?.();
    };
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (d) => stdout.push(d));
    child.stderr.on('data', (d) => stderr.push(d));
    child.on('error', (err) => {
      stop();
      reject(new Error(`cannot run ${cmd}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      stop();
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      resolve({
        wallMs,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        code: code ?? 128 + (os.constants.signals[signal] ?? 0),
        timedOut,
      });
    });
    // A child that exits without reading its input must not crash the bench with EPIPE.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}
