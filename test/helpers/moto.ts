// A real S3-compatible server for the S3 tests: the endpoint in LEAKSWEEP_S3_ENDPOINT (a server
// kept up by hand), else the one scripts/moto-server.sh starts on first use (it installs moto the
// first time). The test run that started that server stops it at its end (test/helpers/
// moto-global-setup.ts). When the server cannot be had the tests FAIL: an S3 suite that silently
// skips proves nothing.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pLimit from 'p-limit';
import { inject } from 'vitest';
import { connectS3, type S3Connection } from '../../src/sources/s3/client.js';
import { MOTO_SCRIPT } from './moto-global-setup.js';

/** Enough time for a first run that installs moto from Debian packages (the script's own waits are shorter). */
export const MOTO_SETUP_TIMEOUT_MS = 360_000;

/**
 * A listing page of the server the suite starts (real S3: 1,000). A smaller page keeps the
 * pagination tests, which need more than a page of objects, quick; they read the page size from
 * the server, so they hold on any S3 endpoint.
 */
export const MOTO_PAGE_SIZE = 100;

export function motoEndpoint(): string {
  const fromEnv = process.env.LEAKSWEEP_S3_ENDPOINT;
  if (fromEnv) return fromEnv;
  try {
    const out = execFileSync('bash', [MOTO_SCRIPT], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: MOTO_SETUP_TIMEOUT_MS,
      env: { ...process.env, LEAKSWEEP_MOTO_OWNER: inject('motoOwner'), MOTO_S3_DEFAULT_MAX_KEYS: String(MOTO_PAGE_SIZE) },
    });
    const endpoint = out.trim().split('\n').pop() ?? '';
    if (!/^https?:\/\//.test(endpoint)) throw new Error(`unexpected output: ${out}`);
    process.env.LEAKSWEEP_S3_ENDPOINT = endpoint;
    return endpoint;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`the local S3 server (moto) could not be started by scripts/moto-server.sh: ${e.stderr || e.message}`);
  }
}

/** Credentials moto accepts, for the SDK's default chain (in this process and CLI children). */
export const TEST_AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-east-1',
};

export async function motoConnection(): Promise<S3Connection> {
  Object.assign(process.env, TEST_AWS_ENV);
  return connectS3({ endpoint: motoEndpoint(), region: 'us-east-1' });
}

/** A bucket name no earlier run on the same server used. */
export function uniqueBucket(label: string): string {
  return `leaksweep-${label}-${randomBytes(4).toString('hex')}`;
}

export async function createBucket(s3: S3Connection, bucket: string, versioned: boolean): Promise<void> {
  await s3.client.send(new s3.sdk.CreateBucketCommand({ Bucket: bucket }));
  if (versioned) {
    await s3.client.send(new s3.sdk.PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  }
}

/** Puts an object and returns its version id (undefined in an unversioned bucket). */
export async function put(s3: S3Connection, bucket: string, key: string, body: string): Promise<string | undefined> {
  const r = await s3.client.send(new s3.sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  return r.VersionId;
}

/** Puts many objects, a few at a time. */
export async function putMany(s3: S3Connection, bucket: string, objects: { key: string; body: string }[], concurrency = 16): Promise<void> {
  const limit = pLimit(concurrency);
  await Promise.all(objects.map((o) => limit(() => put(s3, bucket, o.key, o.body))));
}

/**
 * Counts the requests the client sends from now on, each attempt of the SDK's own retries too
 * (its retry middleware runs before this step), until stop().
 */
export function countRequests(s3: S3Connection): { sent: () => number; stop: () => void } {
  let sent = 0;
  const name = `count-requests-${randomBytes(4).toString('hex')}`;
  s3.client.middlewareStack.add(
    (next) => (args) => {
      sent++;
      return next(args);
    },
    { step: 'finalizeRequest', name },
  );
  return { sent: () => sent, stop: () => void s3.client.middlewareStack.remove(name) };
}
