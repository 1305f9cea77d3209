// `leaksweep tfstate s3://… --cache` on a real S3-compatible server (moto): a second sweep of an
// unchanged bucket fetches nothing, a new version is fetched, a deleted version drops out, and
// the results are those of a full scan.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cachedUnits, parseReport, runCli, tempDir, type JsonReport } from '../helpers/cli.js';
import { createBucket, MOTO_SETUP_TIMEOUT_MS, motoConnection, motoEndpoint, put, TEST_AWS_ENV, uniqueBucket } from '../helpers/moto.js';
import type { S3Connection } from '../../src/sources/s3/client.js';
import { fakeValue, stateV4 } from '../engine/tfstate-fixtures.js';

let s3: S3Connection;

beforeAll(async () => {
  s3 = await motoConnection();
}, MOTO_SETUP_TIMEOUT_MS);

function state(serial: number, secret: string): string {
  return stateV4({ serial, resources: [{ type: 'aws_iam_access_key', name: 'ci', instances: [{ attributes: { id: 'AKIDFAKEID', user: 'ci', secret, status: 'Active' } }] }] });
}

async function sweep(bucket: string, extra: string[]): Promise<JsonReport> {
  const r = await runCli(['tfstate', `s3://${bucket}/`, '--all-versions', '--endpoint-url', motoEndpoint(), '--format', 'json', '--no-progress', ...extra], { env: TEST_AWS_ENV });
  expect(r.stderr).toBe('');
  return parseReport(r.stdout);
}

function results(report: JsonReport): unknown {
  return report.findings.map((f) => ({ fingerprint: f.fingerprint, secret: f.secret, locations: f.locations }));
}

describe('tfstate s3:// --cache', () => {
  const bucket = uniqueBucket('cache');
  const secrets = [fakeValue(40), fakeValue(40), fakeValue(40), fakeValue(40)];
  const cache = path.join(tempDir(), 'bucket.cache');

  beforeAll(async () => {
    await createBucket(s3, bucket, true);
    await put(s3, bucket, 'app/terraform.tfstate', state(1, secrets[0]));
    await put(s3, bucket, 'app/terraform.tfstate', state(2, secrets[0]));
    await put(s3, bucket, 'db/terraform.tfstate', state(1, secrets[1]));
  }, 60_000);

  it('fetches every version once, then nothing while the bucket is unchanged', async () => {
    const first = await sweep(bucket, ['--cache', cache]);
    expect(first.stats.s3Gets).toBe(3);
    expect(first.findings).toHaveLength(2);
    expect(fs.statSync(cache).mode & 0o777).toBe(0o600);
    const stored = fs.readFileSync(cache, 'utf8');
    for (const s of secrets) expect(stored).not.toContain(s);

    const second = await sweep(bucket, ['--cache', cache]);
    expect(second.stats.s3Gets ?? 0).toBe(0);
    expect(second.stats.s3Cached).toBe(3);
    expect(results(second)).toEqual(results(first));
  });

  it('fetches only a new version, and reports what a full scan does', async () => {
    await put(s3, bucket, 'app/terraform.tfstate', state(3, secrets[2]));
    const report = await sweep(bucket, ['--cache', cache]);
    expect(report.stats.s3Gets).toBe(1);
    expect(report.stats.s3Cached).toBe(3);
    expect(report.findings).toHaveLength(3);
    expect(results(report)).toEqual(results(await sweep(bucket, [])));
  });

  it('forgets versions deleted for good, with the findings only they held', async () => {
    const versions = await s3.client.send(new s3.sdk.ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'db/' }));
    for (const v of versions.Versions ?? []) await s3.client.send(new s3.sdk.DeleteObjectCommand({ Bucket: bucket, Key: v.Key, VersionId: v.VersionId }));
    const report = await sweep(bucket, ['--cache', cache]);
    expect(report.stats.s3Gets ?? 0).toBe(0);
    expect(report.stats.s3Cached).toBe(3);
    expect(report.findings).toHaveLength(2);
    expect(results(report)).toEqual(results(await sweep(bucket, [])));
    const units = cachedUnits(cache);
    expect(units).toHaveLength(3);
    expect(units.some((u) => u.includes('db/terraform.tfstate'))).toBe(false);
  });

  it('without --all-versions: a rewritten object is fetched again (its ETag changed)', async () => {
    const plain = uniqueBucket('cache-plain');
    const file = path.join(tempDir(), 'plain.cache');
    await createBucket(s3, plain, false);
    await put(s3, plain, 'terraform.tfstate', state(1, secrets[3]));
    const args = (b: string) => ['tfstate', `s3://${b}/`, '--endpoint-url', motoEndpoint(), '--format', 'json', '--no-progress', '--cache', file];
    const first = parseReport((await runCli(args(plain), { env: TEST_AWS_ENV })).stdout);
    expect(first.stats.s3Gets).toBe(1);
    const unchanged = parseReport((await runCli(args(plain), { env: TEST_AWS_ENV })).stdout);
    expect(unchanged.stats.s3Gets ?? 0).toBe(0);
    expect(results(unchanged)).toEqual(results(first));
    await put(s3, plain, 'terraform.tfstate', state(2, secrets[2]));
    const rewritten = parseReport((await runCli(args(plain), { env: TEST_AWS_ENV })).stdout);
    expect(rewritten.stats.s3Gets).toBe(1);
    expect(rewritten.findings).toHaveLength(1);
    expect(rewritten.findings[0].fingerprint).not.toBe(first.findings[0].fingerprint);
  });
});
