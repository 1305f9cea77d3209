#!/usr/bin/env node
// Deterministic generator of the labelled evaluation corpus: `node eval/generate.js [dir]`
// writes files of many formats (env, YAML, JSON, TOML, INI, properties, HCL, tfstate, Python,
// JS/TS, Go, Java, XML, shell, Dockerfile, Markdown, CI logs with timestamps and ANSI, lock
// files, manifests...) and `labels.json`: every labelled secret and decoy with its file and
// lines. The same seed gives the same corpus; nothing secret-looking is committed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../bench/lib/prng.js';
import { DECOY_KINDS } from './lib/decoys.js';
import { formatsFor, FORMATS, renderFile } from './lib/render.js';
import { SECRET_KINDS } from './lib/secrets.js';
import { SPECIAL_FILES } from './lib/special-files.js';

export const EVAL_DIR = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_CORPUS = path.join(EVAL_DIR, '.corpus');
const SEED = 0x1eaf5;
const SECRETS_PER_KIND = 14;
const DECOYS_PER_KIND = 20;

function shuffle(rng, items) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Builds the corpus in memory: { files: [{ name, text }], labels: [...] }. */
export function buildCorpus(seed = SEED) {
  const rng = createRng(seed);
  const items = [];
  for (const [kind, make] of Object.entries(SECRET_KINDS)) {
    for (let i = 0; i < SECRETS_PER_KIND; i++) items.push({ ...make(rng, i), type: 'secret', kind });
  }
  for (const [kind, make] of Object.entries(DECOY_KINDS)) {
    for (let i = 0; i < DECOYS_PER_KIND; i++) items.push({ ...make(rng, i), type: 'decoy', kind });
  }
  // Each item goes to a file of a format it can be written in; files hold 3-7 items.
  const buckets = new Map(Object.keys(FORMATS).map((f) => [f, []]));
  for (const item of shuffle(rng, items)) buckets.get(rng.pick(formatsFor(item))).push(item);
  const files = [];
  const labels = [];
  for (const [format, bucket] of buckets) {
    for (let at = 0, n = 0; at < bucket.length; n++) {
      const size = rng.int(3, 7);
      const { text, spans } = renderFile(format, bucket.slice(at, at + size), rng);
      at += size;
      const spec = FORMATS[format];
      const name = `${format}/${spec.name ? `${n}/${spec.name}` : `${format}-${n}${spec.ext}`}`;
      files.push({ name, text });
      for (const { item, line, endLine } of spans) {
        labels.push({ file: name, line, endLine, type: item.type, kind: item.kind, ...(item.type === 'secret' ? { secret: item.secret ?? item.value } : {}) });
      }
    }
  }
  for (const [build, count] of SPECIAL_FILES) {
    for (let n = 0; n < count; n++) {
      const file = build(rng, n);
      files.push({ name: file.name, text: file.text });
      for (const l of file.labels) labels.push({ file: file.name, endLine: l.line, ...l });
    }
  }
  return { files, labels };
}

/** Writes the corpus under `dir` (files/ and labels.json), replacing an older one. */
export function writeCorpus(dir = DEFAULT_CORPUS, seed = SEED) {
  const { files, labels } = buildCorpus(seed);
  const root = path.join(dir, 'files');
  fs.rmSync(root, { recursive: true, force: true });
  for (const file of files) {
    const target = path.join(root, file.name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.text);
  }
  fs.writeFileSync(path.join(dir, 'labels.json'), JSON.stringify(labels, null, 1));
  return { root, files, labels };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { root, files, labels } = writeCorpus(process.argv[2] ? path.resolve(process.argv[2]) : DEFAULT_CORPUS);
  const secrets = labels.filter((l) => l.type === 'secret');
  const kinds = new Set(secrets.map((l) => l.kind));
  const decoyKinds = new Set(labels.filter((l) => l.type === 'decoy').map((l) => l.kind));
  console.log(`${files.length} files in ${root}: ${secrets.length} secrets of ${kinds.size} kinds, ${labels.length - secrets.length} decoys of ${decoyKinds.size} kinds`);
}
