// Issue 5: `leaksweep tfstate s3://… --all-versions` on the local S3 server (moto): a versioned
// bucket of 1,000 state objects × 3 versions of about 100 KB each, every version holding the same
// database password (so each object gives one finding with three version locations). Measures
// objects (versions) per second and peak RSS with `--jobs 1` and with the default concurrency.
// LEAKSWEEP_BENCH_S3_OBJECTS=N changes the object count. The bucket stays on the server between
// runs (moto keeps it in memory while it runs), so a second run skips the upload.
// Issue 11: a `--cache` sweep, then a second one of the unchanged bucket, which must make no
// GetObject call and take at most 5% of the first, with the same results;
// LEAKSWEEP_BENCH_S3_ONLY=cache runs only that part.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pLimit from 'p-limit';
import { connectS3 } from '../dist/sources/s3/client.js';
import { listVersions } from '../dist/sources/s3/list.js';
import { measureCpu } from './lib/cpu-time.js';
import { formatLoad, formatMs, formatRss, formatThroughput, MB } from './lib/format.js';
import { REPO_ROOT, withScratchDir } from './lib/paths.js';
import { ALPHABETS, createRng } from './lib/prng.js';
import { readJson } from './lib/reports.js';

const VERSIONS = 3;
const TARGET_BYTES = 100 * 1024;
/** Issue 11: the second sweep of an unchanged bucket takes at most this share of the first. */
const TARGET_CACHED_SHARE = 0.05;
const CACHED_RUNS = 3;
const AWS_ENV = { AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1' };

function endpoint() {
  if (process.env.LEAKSWEEP_S3_ENDPOINT) return process.env.LEAKSWEEP_S3_ENDPOINT;
  const out = execFileSync('bash', [path.join(REPO_ROOT, 'scripts/moto-server.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').pop();
}

/** A realistic state of about TARGET_BYTES: many instances, one database password. */
function stateText(rng, serial, password) {
  const resources = [
    { mode: 'managed', type: 'aws_db_instance', name: 'main', provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ schema_version: 2, attributes: { id: 'db-main', engine: 'postgres', username: 'app', password, endpoint: 'main.c1.eu-west-1.rds.amazonaws.com:5432' }, sensitive_attributes: [] }] },
  ];
  let size = 0;
  for (let i = 0; size < TARGET_BYTES; i++) {
    const attributes = {
      id: `i-${rng.chars(ALPHABETS.hex, 17)}`,
      ami: `ami-${rng.chars(ALPHABETS.hex, 17)}`,
      arn: `arn:aws:ec2:eu-west-1:123456789012:instance/i-${rng.chars(ALPHABETS.hex, 17)}`,
      instance_type: rng.pick(['t3.micro', 'm5.large', 'c6g.xlarge']),
      private_ip: `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
      subnet_id: `subnet-${rng.chars(ALPHABETS.hex, 17)}`,
      tags: { Name: `web-${i}`, team: 'platform', env: 'prod' },
      user_data: `#!/bin/bash\nyum install -y nginx\nsystemctl enable nginx\necho web-${i} > /etc/hostname\n`,
      root_block_device: [{ volume_size: 20, volume_type: 'gp3', encrypted: true, iops: 3000 }],
      vpc_security_group_ids: [`sg-${rng.chars(ALPHABETS.hex, 17)}`],
    };
    resources.push({ mode: 'managed', type: 'aws_instance', name: `web_${i}`, provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ schema_version: 1, attributes, sensitive_attributes: [] }] });
    size += 900;
  }
  return JSON.stringify({ version: 4, terraform_version: '1.9.5', serial, lineage: 'bench-lineage', outputs: {}, resources, check_results: null }, null, 2);
}

async function versionCount(s3, bucket) {
  let count = 0;
  let KeyMarker;
  let VersionIdMarker;
  try {
    for (;;) {
      const page = await s3.client.send(new s3.sdk.ListObjectVersionsCommand({ Bucket: bucket, KeyMarker, VersionIdMarker }));
      count += page.Versions?.length ?? 0;
      if (!page.IsTruncated) return count;
      KeyMarker = page.NextKeyMarker;
      VersionIdMarker = page.NextVersionIdMarker;
    }
  } catch {
    return -1;
  }
}

async function seed(ctx, s3, bucket, objects) {
  const have = await versionCount(s3, bucket);
  if (have === objects * VERSIONS) {
    ctx.log(`bucket ${bucket} already holds ${have} versions (cached on the server)`);
    return;
  }
  if (have < 0) {
    await s3.client.send(new s3.sdk.CreateBucketCommand({ Bucket: bucket }));
    await s3.client.send(new s3.sdk.PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  }
  const started = performance.now();
  const rng = createRng(5);
  const limit = pLimit(8);
  let bytes = 0;
  const puts = [];
  for (let i = 0; i < objects; i++) {
    const password = rng.chars(ALPHABETS.base62, 20);
    const key = i % 4 === 0 ? `env:/ws${i % 3}/stack-${i}/terraform.tfstate` : `stack-${i}/terraform.tfstate`;
    for (let v = 1; v <= VERSIONS; v++) {
      const body = stateText(rng, v, password);
      bytes += body.length;
      // Versions of one key in order; keys in parallel.
      if (v === 1) puts.push([]);
      puts[puts.length - 1].push({ key, body });
    }
  }
  await Promise.all(
    puts.map((versions) =>
      limit(async () => {
        for (const { key, body } of versions) await s3.client.send(new s3.sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      }),
    ),
  );
  ctx.log(`seeded ${objects} objects × ${VERSIONS} versions, ${(bytes / MB).toFixed(0)} MB, in ${formatMs(performance.now() - started)}`);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Everything a full scan must equal: each finding with its places. */
function resultKey(report) {
  return JSON.stringify(report.findings.map((f) => [f.fingerprint, f.locations.map((l) => `${l.object}:${l.versionId}:${l.line}:${l.attribute}`).sort()]).sort());
}

/**
 * What a cached sweep cannot skip: listing every version (`ms`, in `pages` requests, as the
 * sweep lists them), and what one ListObjectVersions request costs the server when it returns a
 * single entry (`oneMs`). moto copies every version of the bucket, bodies included, before it
 * filters and pages (moto/s3/models.py, list_object_versions: copy.deepcopy of each key), so a
 * request costs about the same whatever its MaxKeys or Prefix.
 */
async function listingCost(url, bucket) {
  const s3 = await connectS3({ endpoint: url, region: 'us-east-1' });
  try {
    let started = performance.now();
    let pages = 0;
    for await (const page of listVersions(s3, bucket, '')) {
      void page;
      pages++;
    }
    const ms = performance.now() - started;
    started = performance.now();
    await s3.client.send(new s3.sdk.ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1 }));
    return { ms, pages, oneMs: performance.now() - started };
  } finally {
    s3.client.destroy();
  }
}

/**
 * Issue 11: a first `--cache` sweep, then the second sweep of the unchanged bucket (median of
 * CACHED_RUNS), and how much of it is the server listing the versions.
 */
async function cachedSweeps(ctx, scratch, bucket, url, metrics) {
  const cache = path.join(scratch, 'bucket.cache');
  const sweep = async (name) => {
    const output = path.join(scratch, `${name}.json`);
    const args = [ctx.leaksweep, 'tfstate', `s3://${bucket}`, '--all-versions', '--endpoint-url', url, '--format', 'json', '--no-progress', '--output', output, '--cache', cache];
    const result = await measureCpu(process.execPath, args, { env: { ...process.env, ...AWS_ENV } });
    if (![0, 1, 3].includes(result.code)) throw new Error(`leaksweep tfstate --cache exited ${result.code}: ${result.stderr.slice(0, 2000)}`);
    return { result, report: readJson(output) };
  };
  const first = await sweep('first');
  const walls = [];
  const cpus = [];
  let second;
  for (let i = 0; i < CACHED_RUNS; i++) {
    second = await sweep('second');
    walls.push(second.result.wallMs);
    cpus.push(second.result.cpuMs);
  }
  const wall = median(walls);
  const share = wall / first.result.wallMs;
  const { ms: listing, pages, oneMs } = await listingCost(url, bucket);
  const gets = second.report.stats.s3Gets ?? 0;
  const same = resultKey(second.report) === resultKey(first.report);
  const met = share <= TARGET_CACHED_SHARE && gets === 0;
  const line =
    `first ${formatMs(first.result.wallMs)} (${first.report.stats.s3Gets} GetObject), second ${formatMs(wall)} (median of ${CACHED_RUNS}; ${gets} GetObject, ` +
    `${second.report.stats.s3Cached} versions from the cache) = ${(share * 100).toFixed(1)}% of the first (target 0 GetObject and <= ${TARGET_CACHED_SHARE * 100}%, ` +
    `${met ? 'met' : 'missed'}); results ${same ? 'identical to' : 'DIFFERENT from'} the full scan (${second.report.findings.length} findings); ` +
    `cache ${(fs.statSync(cache).size / MB).toFixed(1)} MB; leaksweep's CPU time ${formatMs(median(cpus))} = ` +
    `${((median(cpus) / first.result.cpuMs) * 100).toFixed(1)}% of the first's ${formatMs(first.result.cpuMs)}; ` +
    `listing the versions alone takes the server ${formatMs(listing)} in ${pages} requests (at most 1,000 entries a page), ` +
    `${((listing / first.result.wallMs) * 100).toFixed(1)}% of the first: a floor for any sweep that sees every version; ` +
    `one request for a single entry takes ${formatMs(oneMs)} (moto copies the whole bucket for each); ` +
    `the rest of the second sweep ${formatMs(Math.max(0, wall - listing))} (${((Math.max(0, wall - listing) / first.result.wallMs) * 100).toFixed(1)}% of the first)`;
  ctx.log(`leaksweep tfstate --cache: ${line}; ${formatLoad()}`);
  metrics['tfstate s3 --cache'] = line;
  if (!same) throw new Error('the cached sweep differs from the full scan');
}

export default async function run(ctx) {
  const objects = Number(process.env.LEAKSWEEP_BENCH_S3_OBJECTS) || 1000;
  Object.assign(process.env, AWS_ENV);
  const url = endpoint();
  const s3 = await connectS3({ endpoint: url, region: 'us-east-1' });
  const bucket = `leaksweep-bench-s3-v1-${objects}`;
  try {
    await seed(ctx, s3, bucket, objects);
  } finally {
    s3.client.destroy();
  }
  const metrics = {};
  await withScratchDir(async (scratch) => {
    await cachedSweeps(ctx, scratch, bucket, url, metrics);
    if (process.env.LEAKSWEEP_BENCH_S3_ONLY === 'cache') return;
    for (const [label, extra] of [['--jobs 1', ['--jobs', '1']], ['default (8 fetches, workers)', []]]) {
      const output = path.join(scratch, `report-${extra.length}.json`);
      const args = [ctx.leaksweep, 'tfstate', `s3://${bucket}`, '--all-versions', '--endpoint-url', url, '--format', 'json', '--no-progress', '--output', output, ...extra];
      const result = await ctx.measure(process.execPath, args, { env: { ...process.env, ...AWS_ENV } });
      if (![0, 1, 3].includes(result.code)) throw new Error(`leaksweep tfstate exited ${result.code}: ${result.stderr.slice(0, 2000)}`);
      const report = readJson(output);
      const versions = report.stats.s3Objects;
      const threeVersionFindings = report.findings.filter((f) => f.locations.length === VERSIONS).length;
      const line =
        `${(versions / (result.wallMs / 1000)).toFixed(0)} versions/s, ${formatThroughput(report.stats.bytesScanned, result.wallMs)} ` +
        `(${formatMs(result.wallMs)}), peak RSS ${formatRss(result.peakRssKb)}`;
      ctx.log(`leaksweep tfstate ${label}: ${line}; ${versions} versions, ${report.findings.length} findings (${threeVersionFindings} with ${VERSIONS} versions), ${report.errors.length} errors; ${formatLoad()}`);
      if (report.findings.length !== objects || threeVersionFindings !== objects) {
        ctx.log(`  expected ${objects} findings with ${VERSIONS} version locations each`);
      }
      metrics[`tfstate s3 ${label}`] = line;
    }
  });
  return metrics;
}
