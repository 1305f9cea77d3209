// Builds archive fixtures at run time (nothing binary is committed) and runs sources to the end.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { zipSync, type Zippable } from 'fflate';
import tar from 'tar-stream';
import type { Source, SourceEvent } from '../../src/sources/source.js';
import type { Chunk, ScanError } from '../../src/types.js';

export type Body = string | Uint8Array;

const bytesOf = (body: Body): Uint8Array => (typeof body === 'string' ? Buffer.from(body) : body);

/** A zip of the given members (deflated unless `level` is 0). */
export function zipOf(files: Record<string, Body>, level: 0 | 6 | 9 = 6): Buffer {
  const input: Zippable = {};
  for (const [name, body] of Object.entries(files)) input[name] = [bytesOf(body), { level }];
  return Buffer.from(zipSync(input));
}

export interface TarEntry {
  name: string;
  body?: Body;
  type?: 'file' | 'symlink' | 'link' | 'directory' | 'character-device' | 'fifo';
  linkname?: string;
}

/** A tar of the given members (ustar, as tar-stream writes it). */
export async function tarOf(entries: Array<TarEntry | [string, Body]>): Promise<Buffer> {
  const pack = tar.pack();
  const parts: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (b: Buffer) => parts.push(b));
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const e of entries) {
    const entry: TarEntry = Array.isArray(e) ? { name: e[0], body: e[1] } : e;
    const type = entry.type ?? 'file';
    if (type === 'file') pack.entry({ name: entry.name, type }, Buffer.from(bytesOf(entry.body ?? '')));
    else pack.entry({ name: entry.name, type, linkname: entry.linkname, devmajor: 1, devminor: 3 });
  }
  pack.finalize();
  await done;
  return Buffer.concat(parts);
}

export function gzipOf(body: Body): Buffer {
  return zlib.gzipSync(bytesOf(body));
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** A `docker save` tarball in the OCI layout Docker 25+ writes (blobs/sha256/…, index.json, manifest.json). */
export async function dockerSaveOf(config: object, layers: Buffer[], gzipLayers = false): Promise<Buffer> {
  const configBytes = Buffer.from(JSON.stringify(config));
  const layerBlobs = layers.map((l) => (gzipLayers ? zlib.gzipSync(l) : l));
  const blobs: Array<[string, Body]> = [
    [`blobs/sha256/${sha256(configBytes)}`, configBytes],
    ...layerBlobs.map((b): [string, Body] => [`blobs/sha256/${sha256(b)}`, b]),
  ];
  const manifest = [
    {
      Config: `blobs/sha256/${sha256(configBytes)}`,
      RepoTags: ['example/app:latest'],
      Layers: layerBlobs.map((b) => `blobs/sha256/${sha256(b)}`),
    },
  ];
  return tarOf([
    ...blobs,
    ['index.json', JSON.stringify({ schemaVersion: 2, manifests: [] })],
    ['manifest.json', JSON.stringify(manifest)],
    ['oci-layout', '{"imageLayoutVersion":"1.0.0"}'],
  ]);
}

export function writeFile(dir: string, name: string, body: Body): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, body);
  return file;
}

export interface Collected {
  events: SourceEvent[];
  chunks: Chunk[];
  errors: ScanError[];
  warnings: ScanError[];
  skips: Array<{ path: string; reason: string }>;
}

/** Runs a source to its end, failing (not hanging) after `timeoutMs`. */
export async function collect(source: Source, timeoutMs = 20_000): Promise<Collected> {
  const out: Collected = { events: [], chunks: [], errors: [], warnings: [], skips: [] };
  const run = (async () => {
    for await (const e of source.events()) {
      out.events.push(e);
      if (e.type === 'chunk') out.chunks.push(e.chunk);
      else if (e.type === 'error') out.errors.push(e.error);
      else if (e.type === 'warning') out.warnings.push(e.warning);
      else if (e.type === 'skip') out.skips.push({ path: e.path, reason: e.reason });
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`source did not finish within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
  return out;
}

/** Where `needle` is in the chunks: the chunk, and its original 1-based line and column. */
export function locate(chunks: Chunk[], needle: string): { chunk: Chunk; line: number; column: number } | undefined {
  for (const chunk of chunks) {
    const at = chunk.text.indexOf(needle);
    if (at < 0) continue;
    const before = chunk.text.slice(0, at);
    const i = before.split('\n').length - 1;
    const col = at - (before.lastIndexOf('\n') + 1);
    const line = chunk.lineMap ? chunk.lineMap[i] : (chunk.firstLine ?? 1) + i;
    return { chunk, line, column: col + 1 + (chunk.columnMap?.[i] ?? 0) };
  }
  return undefined;
}

/** Offsets of the central directory headers of a zip (signature PK\x01\x02). */
export function centralHeaders(zip: Buffer): number[] {
  const out: number[] = [];
  for (let i = zip.indexOf('PK\x01\x02', 0, 'latin1'); i >= 0; i = zip.indexOf('PK\x01\x02', i + 4, 'latin1')) out.push(i);
  return out;
}

/** Replaces every occurrence of `from` with `to` (same length) in a buffer: used to forge names. */
export function patchBytes(buf: Buffer, from: Buffer, to: Buffer): Buffer {
  const out = Buffer.from(buf);
  for (let i = out.indexOf(from); i >= 0; i = out.indexOf(from, i + 1)) to.copy(out, i);
  return out;
}

/** A 42.zip-style bomb: `levels` of zips holding `fanout` copies of the level below; the leaf a zip of zeros. */
export function nestedBomb(levels: number, fanout: number, leafBytes: number): Buffer {
  let current = zipOf({ 'zeros.bin': new Uint8Array(leafBytes) }, 9);
  for (let level = levels - 1; level >= 1; level--) {
    const files: Record<string, Body> = {};
    for (let i = 0; i < fanout; i++) files[`l${level}-${i}.zip`] = current;
    current = zipOf(files, 9);
  }
  return current;
}

/**
 * A zip written the way Java's jar tool and other streaming writers do: deflated entries with
 * bit 3 set, zero sizes in the local headers and a data descriptor after each entry's data.
 */
export function zipWithDescriptors(files: Record<string, Body>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, body] of Object.entries(files)) {
    const data = Buffer.from(bytesOf(body));
    const deflated = zlib.deflateRawSync(data);
    const crc = zlib.crc32(data);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0808, 6); // data descriptor + UTF-8 names
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(nameBytes.length, 26);
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(crc, 4);
    descriptor.writeUInt32LE(deflated.length, 8);
    descriptor.writeUInt32LE(data.length, 12);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0808, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(deflated.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    const entry = Buffer.concat([local, nameBytes, deflated, descriptor]);
    locals.push(entry);
    centrals.push(Buffer.concat([central, nameBytes]));
    offset += entry.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length, 8);
  end.writeUInt16LE(centrals.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
