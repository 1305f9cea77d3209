// Failures the local S3 server (moto) cannot produce: throttling, 5xx, a denied object and a body
// cut off mid-stream. A small HTTP server on 127.0.0.1 speaks just enough of S3's REST protocol
// (the real SDK talks to it over real sockets; nothing in the SDK is mocked).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectS3, type S3Connection } from '../../src/sources/s3/client.js';
import { S3Source } from '../../src/sources/s3/source.js';
import type { SourceEvent } from '../../src/sources/source.js';
import { fakeValue, stateV4 } from '../engine/tfstate-fixtures.js';
import { TEST_AWS_ENV } from '../helpers/moto.js';

const state = stateV4({ resources: [{ type: 'random_password', name: 'p', instances: [{ attributes: { result: fakeValue(16) } }] }] });
const KEYS = ['ok.tfstate', 'denied.tfstate', 'cut.tfstate', 'flaky.tfstate'];

let server: Server;
let s3: S3Connection;
const hits = new Map<string, number>();

function xmlError(res: ServerResponse, status: number, code: string): void {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message><RequestId>1</RequestId></Error>`);
}

function listing(res: ServerResponse): void {
  const contents = KEYS.map(
    (k) => `<Contents><Key>${k}</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified><ETag>"${k}"</ETag><Size>${state.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
  ).join('');
  res.writeHead(200, { 'content-type': 'application/xml' });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix></Prefix><KeyCount>${KEYS.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`,
  );
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const what = url.searchParams.has('list-type') ? 'list' : url.pathname.replace(/^\/b\//, '');
  const n = (hits.get(what) ?? 0) + 1;
  hits.set(what, n);
  if (what === 'list') return n <= 2 ? xmlError(res, 503, 'SlowDown') : listing(res);
  if (what === 'denied.tfstate') return xmlError(res, 403, 'AccessDenied');
  if (what === 'flaky.tfstate' && n === 1) return xmlError(res, 500, 'InternalError');
  if (what === 'cut.tfstate') {
    // Announces the whole body, sends half, hangs up.
    res.writeHead(200, { 'content-length': String(state.length), etag: '"cut"' });
    res.write(state.slice(0, state.length >> 1));
    setTimeout(() => res.socket?.destroy(), 10);
    return;
  }
  res.writeHead(200, { 'content-length': String(state.length), etag: `"${what}"` });
  res.end(state);
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, TEST_AWS_ENV);
  s3 = await connectS3({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, region: 'us-east-1' });
});

afterAll(async () => {
  s3?.client.destroy();
  await new Promise((resolve) => server?.close(resolve));
});

describe('S3 source under faults', () => {
  it('retries throttling and 5xx, names a denied object and a cut-off body in errors, and scans the rest', async () => {
    const events: SourceEvent[] = [];
    const source = new S3Source({ connection: s3, targets: [{ bucket: 'b', prefix: '' }], retry: { attempts: 3, baseDelayMs: 10 } });
    for await (const e of source.events()) events.push(e);
    const errors = events.flatMap((e) => (e.type === 'error' ? [e.error] : []));
    const scanned = events.flatMap((e) => (e.type === 'chunk' ? [e.chunk.origin.object] : []));
    expect(scanned.sort()).toEqual(['flaky.tfstate', 'ok.tfstate']);
    expect(errors.map((e) => e.path).sort()).toEqual(['s3://b/cut.tfstate', 's3://b/denied.tfstate']);
    expect(errors.find((e) => e.path.endsWith('denied.tfstate'))?.message).toMatch(/^AccessDenied/);
    expect(errors.find((e) => e.path.endsWith('cut.tfstate'))?.message).toMatch(/aborted|ECONNRESET|premature|ended after/i);
    expect(hits.get('list')).toBe(3); // two SlowDown answers, then the listing
    expect(hits.get('flaky.tfstate')).toBe(2); // a 500, then the body
    expect(hits.get('denied.tfstate')).toBe(1); // a denial is final
    expect(hits.get('cut.tfstate')).toBe(3); // a broken body is read again, up to the attempts
  });
});
