// Once per test run (vitest globalSetup): a token naming the run, for the S3 tests. The test that
// starts the local S3 server passes it to scripts/moto-server.sh, which records it with the
// server; at the end of the run the server is stopped if, and only if, this run started it (a
// server found running, or named by LEAKSWEEP_S3_ENDPOINT, is left alone).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

export const MOTO_SCRIPT = resolve(import.meta.dirname, '../../scripts/moto-server.sh');

declare module 'vitest' {
  export interface ProvidedContext {
    motoOwner: string;
  }
}

export default function setup(project: TestProject): () => void {
  const owner = `vitest-${process.pid}-${randomBytes(4).toString('hex')}`;
  project.provide('motoOwner', owner);
  return () => {
    execFileSync('bash', [MOTO_SCRIPT, 'stop'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, LEAKSWEEP_MOTO_OWNER: owner } });
  };
}
