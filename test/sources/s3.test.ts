// The S3 source against a real S3-compatible server (moto): versioning, delete markers,
// workspaces, pagination, unreadable objects. No SDK mocks.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltinRules } from '../../src/engine/rules.js';
import { runScan } from '../../src/scanner/run.js';
import type { SourceEvent } from '../../src/sources/source.js';
import type { S3Connection } from '../../src/sources/s3/client.js';
import { readObjectText } from '../../src/sources/s3/fetch.js';
import { DEFAULT_RETRY } from '../../src/sources/s3/retry.js';
import { S3Source, type S3SourceOptions } from '../../src/sources/s3/source.js';
import type { Chunk, Report } from '../../src/types.js';
import { fakeValue, lineOf, stateV4 } from '../engine/tfstate-fixtures.js';
import { createBucket, MOTO_SETUP_TIMEOUT_MS, motoConnection, put, putMany, uniqueBucket } from '../helpers/moto.js';

let s3: S3Connection;

beforeAll(async () => {
  s3 = await motoConnection();
}, MOTO_SETUP_TIMEOUT_MS);

async function collect(options: Omit<S3SourceOptions, 'connection'>): Promise<SourceEvent[]> {
  const events: SourceEvent[] = [];
  for await (const e of new S3Source({ connection: s3, ...options }).events()) events.push(e);
  return events;
}

const chunks = (events: SourceEvent[]): Chunk[] => events.flatMap((e) => (e.type === 'chunk' ? [e.chunk] : []));
const stat = (events: SourceEvent[], name: string): number =>
  events.reduce((n, e) => n + (e.type === 'stat' && e.name === name ? e.value : 0), 0);

function scan(options: Omit<S3SourceOptions, 'connection'>): Promise<Report> {
  return runScan([new S3Source({ connection: s3, ...options })], { rules: loadBuiltinRules(), jobs: 1 });
}

function dbState(serial: number, password: string): string {
  return stateV4({
    serial,
    lineage: 'net-lineage',
    resources: [
      { type: 'aws_vpc', name: 'main', instances: [{ attributes: { id: `vpc-${serial}`, arn: 'arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-1', cidr_block: '10.0.0.0/16' } }] },
      { type: 'aws_db_instance', name: 'main', instances: [{ attributes: { id: 'db-1', endpoint: 'db.eu-west-1.rds.amazonaws.com:5432', password, username: 'app' } }] },
    ],
  });
}

describe('S3 source: versions, workspaces, rotation', () => {
  const bucket = uniqueBucket('versions');
  const oldPass = fakeValue(16);
  const newPass = fakeValue(16);
  const stagingOutput = fakeValue(20);
  const deletedPass = fakeValue(16);
  const versions: { id: string; serial: number }[] = [];
  let deletedVersion: string;

  beforeAll(async () => {
    await createBucket(s3, bucket, true);
    // A secret in versions 1-3, rotated in version 4, then version 4's content written again.
    for (const serial of [1, 2, 3, 4, 5]) {
      const id = await put(s3, bucket, 'network/terraform.tfstate', dbState(Math.min(serial, 4), serial <= 3 ? oldPass : newPass));
      versions.push({ id: id!, serial });
    }
    await put(s3, bucket, 'env:/staging/network/terraform.tfstate', stateV4({ serial: 9, outputs: { token: { value: stagingOutput, sensitive: true } } }));
    deletedVersion = (await put(s3, bucket, 'network/old.tfstate', dbState(1, deletedPass)))!;
    await s3.client.send(new s3.sdk.DeleteObjectCommand({ Bucket: bucket, Key: 'network/old.tfstate' }));
    await put(s3, bucket, 'network/terraform.tfstate.tflock', '{"ID":"lock"}');
    await put(s3, bucket, 'network/README.md', 'not state');
    await put(s3, bucket, 'other/terraform.tfstate', dbState(1, fakeValue(16)));
  }, 60_000);

  it('lists the current state objects under the prefix, workspace keys included, and skips locks and the rest', async () => {
    const events = await collect({ targets: [{ bucket, prefix: 'network/' }] });
    const got = chunks(events).map((c) => [c.origin.object, c.origin.workspace]);
    expect(got.sort()).toEqual([
      ['env:/staging/network/terraform.tfstate', 'staging'],
      ['network/terraform.tfstate', 'default'],
    ]);
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
  });

  it('with all versions: one GET per distinct content, a chunk per version, versions behind a delete marker too', async () => {
    const events = await collect({ targets: [{ bucket, prefix: 'network/' }], allVersions: true });
    const got = chunks(events);
    const main = got.filter((c) => c.origin.object === 'network/terraform.tfstate');
    expect(main.map((c) => c.origin.versionId).sort()).toEqual(versions.map((v) => v.id).sort());
    expect(got.some((c) => c.origin.object === 'network/old.tfstate' && c.origin.versionId === deletedVersion)).toBe(true);
    expect(stat(events, 's3DeleteMarkers')).toBe(1);
    // Versions 4 and 5 have the same content: 7 versions, 6 GETs.
    expect(got).toHaveLength(7);
    expect(stat(events, 's3Gets')).toBe(6);
    expect(stat(events, 's3GetsSaved')).toBe(1);
    for (const c of got) {
      expect(c.origin.path).toBe(`s3://${bucket}/${c.origin.object}`);
      expect(c.origin.lastModified).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
  });

  it('reports a secret present in versions 1-3 and rotated in 4 as one finding with three version locations', async () => {
    const report = await scan({ targets: [{ bucket, prefix: 'network/' }], allVersions: true });
    expect(report.errors).toEqual([]);
    const old = report.findings.filter((f) => f.secret === oldPass);
    expect(old).toHaveLength(1);
    const text = dbState(1, oldPass);
    expect(old[0].ruleId).toBe('tfstate-secret-attribute');
    expect(old[0].locations.map((l) => [l.versionId, l.serial]).sort()).toEqual(
      versions.filter((v) => v.serial <= 3).map((v) => [v.id, v.serial]).sort(),
    );
    for (const l of old[0].locations) {
      expect(l).toMatchObject({ kind: 's3', object: 'network/terraform.tfstate', resource: 'aws_db_instance.main', attribute: 'password', workspace: 'default', lineage: 'net-lineage', line: lineOf(text, oldPass) });
    }
    const rotated = report.findings.filter((f) => f.secret === newPass);
    expect(rotated).toHaveLength(1);
    expect(rotated[0].locations.map((l) => l.versionId).sort()).toEqual(versions.filter((v) => v.serial >= 4).map((v) => v.id).sort());
    const staging = report.findings.find((f) => f.secret === stagingOutput);
    expect(staging?.ruleId).toBe('tfstate-sensitive-value');
    expect(staging?.locations[0]).toMatchObject({ workspace: 'staging', resource: 'output.token', serial: 9 });
    expect(report.findings.find((f) => f.secret === deletedPass)?.locations[0].versionId).toBe(deletedVersion);
    // Ids, ARNs, endpoints, CIDRs and user names are not secrets.
    const reported = new Set(report.findings.map((f) => f.secret));
    expect(reported).toEqual(new Set([oldPass, newPass, stagingOutput, deletedPass]));
  });

  it('gives the same events with one fetch at a time as with many', async () => {
    const key = (e: SourceEvent) => JSON.stringify(e.type === 'chunk' ? [e.chunk.origin, e.chunk.text.length] : e);
    const one = (await collect({ targets: [{ bucket, prefix: '' }], allVersions: true, jobs: 1 })).map(key).sort();
    const many = (await collect({ targets: [{ bucket, prefix: '' }], allVersions: true, jobs: 8 })).map(key).sort();
    expect(one).toEqual(many);
    expect(one.length).toBeGreaterThan(8);
  });

  it('honours a custom workspace key prefix', async () => {
    const custom = uniqueBucket('wkp');
    await createBucket(s3, custom, false);
    await put(s3, custom, 'workspaces/prod/app/terraform.tfstate', stateV4({}));
    await put(s3, custom, 'app/terraform.tfstate', stateV4({}));
    const events = await collect({ targets: [{ bucket: custom, prefix: 'app/' }], workspaceKeyPrefix: 'workspaces' });
    expect(chunks(events).map((c) => [c.origin.object, c.origin.workspace]).sort()).toEqual([
      ['app/terraform.tfstate', 'default'],
      ['workspaces/prod/app/terraform.tfstate', 'prod'],
    ]);
  });
});

describe('S3 source: objects it cannot read', () => {
  const bucket = uniqueBucket('errors');
  const goodPass = fakeValue(16);
  const corruptPass = fakeValue(16);

  beforeAll(async () => {
    await createBucket(s3, bucket, false);
    const full = dbState(1, corruptPass);
    await put(s3, bucket, 'corrupt.tfstate', full.slice(0, full.length - 40));
    await put(s3, bucket, 'garbage.tfstate', 'this is not json at all\n');
    await put(s3, bucket, 'big.tfstate', dbState(1, fakeValue(16)) + ' '.repeat(4096));
    await put(s3, bucket, 'good.tfstate', dbState(2, goodPass));
  }, 60_000);

  it('names each unreadable object in errors, each object scanned as plain text in warnings, and scans the rest', async () => {
    const report = await scan({ targets: [{ bucket, prefix: '' }, { bucket: uniqueBucket('missing'), prefix: '' }], maxObjectSize: 4096 });
    const errors = report.errors.map((e) => [e.path.replace(/leaksweep-missing-[0-9a-f]+/, 'MISSING'), e.kind]).sort();
    expect(errors).toEqual([
      ['s3://MISSING/', 's3'],
      [`s3://${bucket}/big.tfstate`, 's3'],
    ]);
    expect(report.warnings.map((w) => [w.path, w.kind]).sort()).toEqual([
      [`s3://${bucket}/corrupt.tfstate`, 'tfstate'],
      [`s3://${bucket}/garbage.tfstate`, 'tfstate'],
    ]);
    expect(report.errors.find((e) => e.path.endsWith('big.tfstate'))?.message).toMatch(/over --max-object-size 4096/);
    expect(report.errors.find((e) => e.path.startsWith('s3://leaksweep-missing'))?.message).toMatch(/NoSuchBucket/);
    expect(report.warnings.find((e) => e.path.endsWith('garbage.tfstate'))?.message).toMatch(/not a JSON Terraform state; scanned as plain text/);
    expect(report.warnings.find((e) => e.path.endsWith('corrupt.tfstate'))?.message).toMatch(/not a complete JSON state .*; scanned as plain text/);
    // The truncated state is scanned as plain text: its password is found, without a resource.
    const found = new Map(report.findings.map((f) => [f.secret, f.locations[0]]));
    expect([...found.keys()].sort()).toEqual([corruptPass, goodPass].sort());
    expect(found.get(goodPass)).toMatchObject({ resource: 'aws_db_instance.main', attribute: 'password' });
    expect(found.get(corruptPass)?.resource).toBeUndefined();
  });

  it('fails a read of a missing key or version with the service error, without retrying it', async () => {
    const missing = readObjectText(s3, bucket, { key: 'gone.tfstate', size: 1 }, 1024, DEFAULT_RETRY);
    await expect(missing).rejects.toMatchObject({ name: 'NoSuchKey' });
    const started = Date.now();
    await expect(readObjectText(s3, bucket, { key: 'good.tfstate', versionId: 'no-such-version', size: 1 }, 1024 * 1024, DEFAULT_RETRY)).rejects.toMatchObject({
      $metadata: { httpStatusCode: expect.any(Number) },
    });
    expect(Date.now() - started).toBeLessThan(DEFAULT_RETRY.baseDelayMs);
  });
});

describe('S3 source: pagination', () => {
  const bucket = uniqueBucket('many');
  const KEYS = 1050;
  const secrets: string[] = [];

  beforeAll(async () => {
    await createBucket(s3, bucket, false);
    const objects = Array.from({ length: KEYS }, (_, i) => {
      const secret = fakeValue(16);
      secrets.push(secret);
      // Compact JSON keeps the server's work (and the test's time) small.
      const state = { version: 4, serial: i, lineage: 'l', resources: [{ mode: 'managed', type: 'random_password', name: 'p', instances: [{ attributes: { result: secret, length: 16 } }] }] };
      return { key: `team-${i % 7}/stack-${i}/terraform.tfstate`, body: JSON.stringify(state) };
    });
    await putMany(s3, bucket, objects);
  }, 120_000);

  it('lists past the first 1,000 keys and finds the secret of every object', async () => {
    const report = await scan({ targets: [{ bucket, prefix: '' }] });
    expect(report.errors).toEqual([]);
    expect(report.stats.s3Objects).toBe(KEYS);
    expect(report.findings).toHaveLength(KEYS);
    expect(new Set(report.findings.map((f) => f.secret))).toEqual(new Set(secrets));
  }, 120_000);
});
