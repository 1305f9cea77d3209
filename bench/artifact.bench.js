// Issue 6: how fast `leaksweep artifact` walks a ~500 MB (uncompressed) set of nested build
// artifacts — npm-style tgz holding a war holding jars, and a docker-save image with gzip
// layers — how much memory it takes while streaming, and whether it finds every planted
// secret at the right member chain and line. LEAKSWEEP_BENCH_ARTIFACT_MB=N changes the size.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { zipSync } from 'fflate';
import tar from 'tar-stream';
import { formatMs, formatRss, formatThroughput, MB } from './lib/format.js';
import { githubToken } from './lib/fake-secrets.js';
import { withScratchDir } from './lib/paths.js';
import { createRng } from './lib/prng.js';

const GENERATOR_VERSION = 1;
const WORDS = 'const let var return function import export from await async value config server client request response error result data item index count total cache buffer stream handler options logger level debug info warn build deploy release version module package'.split(' ');

function linePool(rng, n) {
  const lines = [];
  for (let i = 0; i < n; i++) {
    const words = Array.from({ length: rng.int(3, 12) }, () => rng.pick(WORDS));
    lines.push(`${'  '.repeat(rng.int(0, 3))}${words.join(rng.pick([' ', '.', '_', ' = ', '(']))}${rng.pick([';', ',', ' {', ')', ''])} // ${rng.int(0, 99999)}`);
  }
  return lines;
}

/** About `bytes` of code-like text; with `plant`, one line is replaced and its 1-based number returned. */
function textFile(rng, pool, bytes, plant) {
  const lines = [];
  let size = 0;
  while (size < bytes) {
    const l = pool[rng.int(0, pool.length - 1)];
    lines.push(l);
    size += l.length + 1;
  }
  let line;
  if (plant) {
    line = rng.int(1, lines.length);
    lines[line - 1] = plant;
  }
  return { body: Buffer.from(lines.join('\n') + '\n'), line };
}

function binaryFile(rng, pool, bytes) {
  const parts = [];
  for (let size = 0; size < bytes; size += 65536) {
    const at = rng.int(0, pool.length - 65536);
    parts.push(pool.subarray(at, at + 65536));
  }
  return Buffer.concat(parts);
}

async function tarOf(entries) {
  const pack = tar.pack();
  const chunks = [];
  const done = new Promise((resolve, reject) => {
    pack.on('data', (b) => chunks.push(b));
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const [name, body] of entries) pack.entry({ name }, body);
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

const zipOf = (files) => Buffer.from(zipSync(Object.fromEntries(Object.entries(files).map(([n, b]) => [n, [b, { level: 1 }]]))));
const gzip = (b) => zlib.gzipSync(b, { level: 1 });
const sha256 = (b) => createHash('sha256').update(b).digest('hex');

/** Writes the artifact set; returns { bytes (uncompressed content), planted: [{ path, line }] }. */
async function generate(dir, megabytes, seed = 6) {
  const rng = createRng(seed);
  const pool = linePool(rng, 20_000);
  const binPool = Buffer.alloc(4 * MB);
  for (let i = 0; i < binPool.length; i++) binPool[i] = Math.floor(rng.next() * 256);
  const planted = [];
  let bytes = 0;
  const text = (size, plant) => {
    const f = textFile(rng, pool, size, plant);
    bytes += f.body.length;
    return f;
  };
  const binary = (size) => {
    const b = binaryFile(rng, binPool, size);
    bytes += b.length;
    return b;
  };
  const unitMb = 45;
  const units = Math.max(1, Math.round((megabytes - 90) / unitMb));
  for (let u = 0; u < units; u++) {
    const name = `release-${u}.tgz`;
    const jars = {};
    for (let j = 0; j < 5; j++) {
      const token = githubToken(rng);
      const props = text(64 * 1024, `github.token=${token}`);
      planted.push({ path: `${name}!package/app.war!WEB-INF/lib/lib-${j}.jar!config.properties`, line: props.line });
      jars[`WEB-INF/lib/lib-${j}.jar`] = zipOf({ 'config.properties': props.body, 'lib/Main.class': binary(3 * MB), 'lib/Util.java': text(1 * MB).body });
    }
    const war = zipOf({ ...jars, 'WEB-INF/web.xml': text(256 * 1024).body });
    const entries = [['package/app.war', war]];
    for (let f = 0; f < 10; f++) {
      const plant = f === 3 ? `export const TOKEN = "${githubToken(rng)}";` : undefined;
      const file = text(2 * MB, plant);
      if (plant) planted.push({ path: `${name}!package/dist/chunk-${f}.js`, line: file.line });
      entries.push([`package/dist/chunk-${f}.js`, file.body]);
    }
    entries.push(['package/bin/tool', binary(4 * MB)]);
    fs.writeFileSync(path.join(dir, name), gzip(await tarOf(entries)));
  }
  // A docker-save image: config with an ENV secret, three gzip layers, a key deleted in the last.
  const envToken = githubToken(rng);
  const config = Buffer.from(
    JSON.stringify({ config: { Env: ['PATH=/usr/bin', `GH_TOKEN=${envToken}`] }, rootfs: { type: 'layers', diff_ids: [] }, history: [{ created_by: 'RUN build' }] }),
  );
  bytes += config.length;
  const layers = [];
  for (let l = 0; l < 3; l++) {
    const files = [];
    for (let f = 0; f < 10; f++) files.push([`usr/lib/app/l${l}-${f}.js`, text(2 * MB).body]);
    files.push([`usr/bin/app${l}`, binary(10 * MB)]);
    if (l === 0) {
      const deleted = text(16 * 1024, `token=${githubToken(rng)}`);
      files.push(['root/.config/token.txt', deleted.body]);
      layers.push({ blob: gzip(await tarOf(files)), planted: { file: 'root/.config/token.txt', line: deleted.line } });
    } else {
      if (l === 2) files.push(['root/.config/.wh.token.txt', Buffer.alloc(0)]);
      layers.push({ blob: gzip(await tarOf(files)) });
    }
  }
  const image = await tarOf([
    [`blobs/sha256/${sha256(config)}`, config],
    ...layers.map((l) => [`blobs/sha256/${sha256(l.blob)}`, l.blob]),
    ['manifest.json', Buffer.from(JSON.stringify([{ Config: `blobs/sha256/${sha256(config)}`, Layers: layers.map((l) => `blobs/sha256/${sha256(l.blob)}`) }]))],
  ]);
  fs.writeFileSync(path.join(dir, 'image.tar'), image);
  planted.push({ path: `image.tar!blobs/sha256/${sha256(config)}`, line: 2 });
  planted.push({ path: `image.tar!blobs/sha256/${sha256(layers[0].blob)}!${layers[0].planted.file}`, line: layers[0].planted.line });
  return { bytes, planted };
}

function ensureCorpus(ctx, megabytes) {
  const dir = path.join(ctx.tmpDir, 'artifact');
  const manifestFile = path.join(dir, 'planted.json');
  try {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    if (manifest.version === GENERATOR_VERSION && manifest.megabytes === megabytes) return { dir: path.join(dir, 'set'), manifest, cached: true };
  } catch {
    // not generated yet
  }
  return null;
}

export default async function run(ctx) {
  const megabytes = Number(process.env.LEAKSWEEP_BENCH_ARTIFACT_MB) || 500;
  let corpus = ensureCorpus(ctx, megabytes);
  if (!corpus) {
    const started = performance.now();
    const base = path.join(ctx.tmpDir, 'artifact');
    fs.rmSync(base, { recursive: true, force: true });
    const dir = path.join(base, 'set');
    fs.mkdirSync(dir, { recursive: true });
    const { bytes, planted } = await generate(dir, megabytes);
    const manifest = { version: GENERATOR_VERSION, megabytes, bytes, planted };
    fs.writeFileSync(path.join(base, 'planted.json'), JSON.stringify(manifest, null, 1));
    corpus = { dir, manifest, cached: false };
    ctx.log(`generated in ${formatMs(performance.now() - started)}`);
  }
  const onDisk = fs.readdirSync(corpus.dir).reduce((s, f) => s + fs.statSync(path.join(corpus.dir, f)).size, 0);
  const { bytes, planted } = corpus.manifest;
  ctx.log(`artifact set ${corpus.dir}: ${(bytes / MB).toFixed(0)} MB of members, ${(onDisk / MB).toFixed(0)} MB on disk, ${planted.length} planted secrets${corpus.cached ? ' (cached)' : ''}`);

  return withScratchDir(async (scratch) => {
    const reportFile = path.join(scratch, 'report.json');
    const r = await ctx.measure(process.execPath, [ctx.leaksweep, 'artifact', corpus.dir, '--format', 'json', '--no-progress', '--output', reportFile]);
    if (![0, 1, 3].includes(r.code) || !fs.existsSync(reportFile)) throw new Error(`leaksweep artifact exited ${r.code}: ${r.stderr.slice(0, 2000)}`);
    const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
    const found = new Set(report.findings.flatMap((f) => f.locations.map((l) => `${l.path}:${l.line}`)));
    const missed = planted.filter((p) => !found.has(`${p.path}:${p.line}`));
    const line = `${formatThroughput(bytes, r.wallMs)} (${formatMs(r.wallMs)}), peak RSS ${formatRss(r.peakRssKb)}, recall ${planted.length - missed.length}/${planted.length}, ${report.errors.length} errors`;
    ctx.log(`leaksweep artifact: ${line}; stats ${JSON.stringify(report.stats)}`);
    for (const m of missed.slice(0, 10)) ctx.log(`  missed ${m.path}:${m.line}`);
    for (const e of report.errors.slice(0, 5)) ctx.log(`  error ${e.kind} ${e.path}: ${e.message}`);
    return { 'artifact set': `${(bytes / MB).toFixed(0)} MB members, ${(onDisk / MB).toFixed(0)} MB on disk`, 'leaksweep artifact': line };
  });
}
