// Wall and CPU time (user + system, the child's own and its reaped children's, git processes
// included) of one child process, from GNU time. On a loaded machine wall time mostly measures
// the wait for a CPU, so a ratio of two runs is read best on CPU time beside wall time.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const GNU_TIME = '/usr/bin/time';

export function hasGnuTime() {
  return fs.existsSync(GNU_TIME);
}

/** `{ wallMs, cpuMs, code, stderr }`; cpuMs is NaN without GNU time. */
export async function measureCpu(cmd, args, { env } = {}) {
  const out = path.join(os.tmpdir(), `leaksweep-cpu-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const timed = hasGnuTime();
  const [bin, argv] = timed ? [GNU_TIME, ['-f', '%e %U %S', '-o', out, cmd, ...args]] : [cmd, args];
  const started = performance.now();
  const child = spawn(bin, argv, { env: env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  const wallMs = performance.now() - started;
  let cpuMs = NaN;
  if (timed && fs.existsSync(out)) {
    const last = fs.readFileSync(out, 'utf8').trim().split('\n').pop().split(' ');
    cpuMs = (Number(last[1]) + Number(last[2])) * 1000;
    fs.rmSync(out, { force: true });
  }
  return { wallMs, cpuMs, code, stderr };
}
