// Broken Terraform state, local and in S3, for `leaksweep tfstate`. S3 failures moto cannot
// produce come from a small S3-speaking server on 127.0.0.1 (as in test/sources/s3-faults.test.ts):
// the real SDK in the real CLI talks to it over real sockets.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { writeBigState } from '../../bench/lib/gen-big-tfstate.js';
import { fingerprint } from '../../src/findings/fingerprint.js';
import { DEFAULT_MAX_FILE_SIZE } from '../../src/scanner/run.js';
import { writeFile } from '../helpers/archives.js';
import { TEST_AWS_ENV } from '../helpers/moto.js';
import { githubToken } from '../helpers/secrets.js';
import { stateV4 } from '../engine/tfstate-fixtures.js';
import { caseDir, FULL, printSummary, runFaultCase } from './contract.js';

afterAll(() => printSummary('tfstate'));

/** A state whose random_password holds `secret` (reported whatever it looks like) and a token output. */
function stateWith(secret: string, serial = 1): string {
  return stateV4({
    serial,
    resources: [{ type: 'random_password', name: 'db', instances: [{ attributes: { result: secret } }] }],
    outputs: { token: { value: `gh_token=${githubToken()}`, sensitive: false } },
  });
}

describe('local state', () => {
  it('invalid, encrypted (OpenTofu, SOPS) and huge states beside an intact one', async () => {
    const dir = caseDir('tfstate');
    const secret = githubToken();
    writeFile(dir, 'ok.tfstate', stateWith(secret));
    const inBroken = githubToken();
    writeFile(dir, 'invalid.tfstate', `{"version": 4, "lineage": "x", "resources": [ {"attributes": {"token": "${inBroken}"`);
    writeFile(dir, 'tofu.tfstate', JSON.stringify({ serial: 3, lineage: 'l', meta: { 'key_provider.pbkdf2.k': 'e30=' }, encrypted_data: 'QUJD'.repeat(100), encryption_version: 'v0' }));
    writeFile(dir, 'sops.tfstate', JSON.stringify({ version: 4, lineage: 'l', resources: [], sops: { kms: [], version: '3.8.1', mac: 'ENC[AES256_GCM,data:abc]' } }));
    // 40 MB of resources: over the default --max-file-size of 25 MB, so named, not read.
    const fd = openSync(join(dir, 'huge.tfstate'), 'w');
    writeSync(fd, '{"version":4,"lineage":"h","serial":1,"resources":[');
    const one = JSON.stringify({ mode: 'managed', type: 'null_resource', name: 'n', instances: [{ attributes: { id: 'x'.repeat(1000) } }] });
    const block = Array.from({ length: 1000 }, () => one).join(',');
    for (let i = 0; i < 40; i++) writeSync(fd, (i ? ',' : '') + block);
    writeSync(fd, ']}');
    closeSync(fd);
    await runFaultCase({
      name: 'local states',
      args: ['tfstate', dir],
      intact: [secret, inBroken],
      errors: [{ path: 'tofu.tfstate', kind: 'tfstate-encrypted' }, { path: 'huge.tfstate', kind: 'file-too-large' }],
      // Read whole, in a degraded way: as plain text, and with the SOPS values as ciphertext.
      warnings: [{ path: 'invalid.tfstate' }, { path: 'sops.tfstate' }],
      only: true,
      timeoutMs: 90_000,
    });
  }, 120_000);
});

describe('a minified state', () => {
  it('8 MB on one line is scanned in linear time (each keyword hit once searched the whole line for a newline)', async () => {
    const dir = caseDir('tfstate-min');
    const secret = githubToken();
    const resources = Array.from({ length: 25_000 }, (_, i) => ({
      mode: 'managed',
      type: 'aws_instance',
      name: `i${i}`,
      instances: [{ attributes: { id: `i-${i}`, ami: 'ami-0abc', user_data: 'x'.repeat(200), tags: { token: 'none', password: 'unset' } } }],
    }));
    resources.push({ mode: 'managed', type: 'random_password', name: 'db', instances: [{ attributes: { result: secret } }] } as never);
    writeFile(dir, 'min.tfstate', JSON.stringify({ version: 4, terraform_version: '1.9.5', serial: 1, lineage: 'm', outputs: {}, resources }));
    await runFaultCase({ name: 'minified 8 MB state', args: ['tfstate', dir], intact: [secret], errors: [], only: true, warnings: 'any', timeoutMs: 90_000 });
  }, 120_000);
});

describe('a state as large as --max-file-size lets in', () => {
  // The largest state read by default, one line or indented, half of its resources IP sets (long
  // lists of short strings, what costs a reader most per byte), met by `tfstate` and by `dir` (in
  // a worker thread). Within `npm test` a 12 MB state of IP sets only, met by `dir`: reading it as
  // a tree of nodes peaked at over 370 MB.
  const shapes = FULL
    ? [
        { bytes: DEFAULT_MAX_FILE_SIZE, pretty: false, ipSets: 'half' },
        { bytes: DEFAULT_MAX_FILE_SIZE, pretty: true, ipSets: 'half' },
        { bytes: DEFAULT_MAX_FILE_SIZE, pretty: false, ipSets: 'all' },
      ]
    : [{ bytes: 12 * 1024 * 1024, pretty: false, ipSets: 'all' }];
  const commands = FULL ? ['tfstate', 'dir'] : ['dir'];
  for (const shape of shapes) {
    const label = `${(shape.bytes / 1048576).toFixed(0)} MB ${shape.pretty ? 'indented' : 'minified'} state (${shape.ipSets} IP sets)`;
    it(`${label}: every planted secret at its stored line and column, within the memory limit`, async () => {
      const dir = caseDir('tfstate-big');
      mkdirSync(join(dir, 'prod'));
      const file = join(dir, 'prod', 'terraform.tfstate');
      const { bytes, planted } = writeBigState(file, shape);
      expect(bytes).toBeLessThanOrEqual(DEFAULT_MAX_FILE_SIZE);
      expect(bytes).toBeGreaterThan(shape.bytes - 64 * 1024);
      const text = readFileSync(file, 'utf8');
      // Tens of MB per run: not left in the temp folder.
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      for (const command of commands) {
        const { report } = await runFaultCase({ name: `${command}: ${label}`, args: [command, '.'], cwd: dir, intact: planted.map((p) => p.secret), errors: [], warnings: [], only: true, timeoutMs: 90_000 });
        const findings = report!.findings as unknown as { ruleId: string; fingerprint: string; locations: Record<string, unknown>[] }[];
        for (const p of planted) {
          const at = text.indexOf(JSON.stringify(p.secret).slice(1, -1));
          const line = text.slice(0, at).split('\n').length;
          const column = at - text.lastIndexOf('\n', at - 1);
          const place = { path: 'prod/terraform.tfstate', line, column, resource: p.resource, attribute: p.attribute, serial: 42 };
          const found = findings.find((f) => f.fingerprint === fingerprint(f.ruleId, p.secret) && f.locations.some((l) => Object.entries(place).every(([k, v]) => l[k] === v)));
          expect(found, `${command}: ${p.resource}.${p.attribute} at ${line}:${column}; got ${JSON.stringify(findings.map((f) => [f.ruleId, f.locations]))}`).toBeDefined();
        }
      }
    }, 200_000);
  }
});

// --- S3 ---------------------------------------------------------------------------------------

interface Behaviour {
  /** Status and S3 error code, or a function of the request count for this key. */
  get(n: number, res: ServerResponse, body: string): void;
}

function xmlError(res: ServerResponse, status: number, code: string): void {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code} here</Message><RequestId>1</RequestId></Error>`);
}

function send(res: ServerResponse, body: string, etag: string): void {
  res.writeHead(200, { 'content-length': String(Buffer.byteLength(body)), etag: `"${etag}"` });
  res.end(body);
}

/** A bucket `b` whose objects behave as told; every request is counted per key. */
class FaultBucket {
  readonly hits = new Map<string, number>();
  private server!: Server;
  constructor(private readonly objects: Record<string, { body: string; behaviour?: Behaviour }>) {}

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const key = url.searchParams.has('list-type') ? 'list' : decodeURIComponent(url.pathname.replace(/^\/b\//, ''));
    const n = (this.hits.get(key) ?? 0) + 1;
    this.hits.set(key, n);
    if (key === 'list') return this.list(res);
    const o = this.objects[key];
    if (!o) return xmlError(res, 404, 'NoSuchKey');
    if (o.behaviour) return o.behaviour.get(n, res, o.body);
    send(res, o.body, key);
  }

  private list(res: ServerResponse): void {
    const contents = Object.entries(this.objects)
      .map(([k, o]) => `<Contents><Key>${k}</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified><ETag>"${k}"</ETag><Size>${Buffer.byteLength(o.body)}</Size><StorageClass>STANDARD</StorageClass></Contents>`)
      .join('');
    res.writeHead(200, { 'content-type': 'application/xml' });
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix></Prefix><KeyCount>${Object.keys(this.objects).length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`,
    );
  }
}

const denied: Behaviour = { get: (_n, res) => xmlError(res, 403, 'AccessDenied') };
const throttledTwice: Behaviour = { get: (n, res, body) => (n <= 2 ? xmlError(res, 503, 'SlowDown') : send(res, body, 'throttled')) };
const cutMidBody: Behaviour = {
  get: (_n, res, body) => {
    res.writeHead(200, { 'content-length': String(body.length), etag: '"cut"' });
    res.write(body.slice(0, body.length >> 1));
    setTimeout(() => res.socket?.destroy(), 10);
  },
};

const S3_ENV = { ...TEST_AWS_ENV, AWS_MAX_ATTEMPTS: '3', AWS_RETRY_MODE: 'standard' };

describe('S3 state', () => {
  const secrets = { ok: githubToken(), throttled: githubToken(), denied: githubToken(), cut: githubToken() };
  const bucket = new FaultBucket({
    'ok.tfstate': { body: stateWith(secrets.ok) },
    'throttled.tfstate': { body: stateWith(secrets.throttled), behaviour: throttledTwice },
    'denied.tfstate': { body: stateWith(secrets.denied), behaviour: denied },
    'cut.tfstate': { body: stateWith(secrets.cut), behaviour: cutMidBody },
  });
  beforeAll(() => bucket.start());
  afterAll(() => bucket.stop());

  it('AccessDenied on one object, throttling (retried) and a body cut mid-download', async () => {
    await runFaultCase({
      name: 's3 faults',
      args: ['tfstate', 's3://b', '--endpoint-url', bucket.endpoint, '--region', 'us-east-1'],
      env: S3_ENV,
      intact: [secrets.ok, secrets.throttled],
      hidden: [secrets.denied, secrets.cut],
      errors: [
        { path: 's3://b/denied.tfstate', message: /AccessDenied/ },
        { path: 's3://b/cut.tfstate', message: /aborted|ECONNRESET|premature|ended after|socket/i },
      ],
      only: true,
      warnings: 'any',
    });
  });

  it('a credential that expires mid-scan: each object after it named, no hang', async () => {
    const first = githubToken();
    let gets = 0;
    const expiring: Behaviour = { get: (_n, res, body) => (++gets <= 1 ? send(res, body, 'e') : xmlError(res, 400, 'ExpiredToken')) };
    const objects: Record<string, { body: string; behaviour?: Behaviour }> = {};
    for (let i = 0; i < 4; i++) objects[`env:/w${i}/terraform.tfstate`] = { body: stateWith(i === 0 ? first : githubToken()), behaviour: expiring };
    const expired = new FaultBucket(objects);
    await expired.start();
    try {
      await runFaultCase({
        name: 's3 expired credential',
        args: ['tfstate', 's3://b', '--endpoint-url', expired.endpoint, '--region', 'us-east-1', '--jobs', '1'],
        env: S3_ENV,
        intact: [first],
        errors: [1, 2, 3].map((i) => ({ path: `s3://b/env:/w${i}/terraform.tfstate`, message: /ExpiredToken/ })),
        only: true,
        warnings: 'any',
      });
    } finally {
      await expired.stop();
    }
  });

  it('an unreachable endpoint and a DNS failure: one error each, the local state still scanned', async () => {
    const dir = caseDir('s3-down');
    const secret = githubToken();
    writeFile(dir, 'local.tfstate', stateWith(secret));
    for (const endpoint of ['http://127.0.0.1:9', 'http://leaksweep-no-such-host.invalid']) {
      await runFaultCase({
        name: `s3 endpoint ${endpoint}`,
        args: ['tfstate', join(dir, 'local.tfstate'), 's3://b', '--endpoint-url', endpoint, '--region', 'us-east-1'],
        env: S3_ENV,
        intact: [secret],
        errors: [{ path: 's3://b', message: /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|getaddrinfo|connect/ }],
        only: true,
        warnings: 'any',
        timeoutMs: 60_000,
      });
    }
  }, 130_000);
});
