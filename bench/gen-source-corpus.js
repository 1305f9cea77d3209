#!/usr/bin/env node
// Generates the source-code corpus of the dir benchmark: a nested tree of realistic files in
// many languages (see lib/source-text.js), deterministic for a given seed and size, with a small
// known set of planted fake secrets listed in planted.json (path + line + kind, never the value).
//
//   node bench/gen-source-corpus.js [--out DIR] [--mb N] [--seed N] [--force]
//
// The corpus is cached in bench/.corpus/source/{tree,planted.json,stamp.json} and rebuilt only
// when the stamp (generator version, seed, size) changes.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { awsKeyPair, githubToken, npmToken, pemPrivateKey, slackBotToken, stripeLiveKey } from './lib/fake-secrets.js';
import { MB } from './lib/format.js';
import { CORPUS_DIR, ensureDir } from './lib/paths.js';
import { createRng } from './lib/prng.js';
import { LANGUAGES, vocabulary } from './lib/source-text.js';

/** Bump when the generated content changes, so cached corpora are rebuilt. */
export const GENERATOR_VERSION = 1;
export const DEFAULT_SEED = 20240611;
export const DEFAULT_MEGABYTES = 52;

const MIN_FILE = 2 * 1024;
const MAX_FILE = 50 * 1024;
const CRLF_SHARE = 0.04;
const MIN_FILES = 80;

/** Where a file of each language lives in a monorepo-like tree. */
const LAYOUT = {
  js: (v, p, rng) => `${p}/src/${rng.pick(['', 'lib/', 'handlers/', 'utils/', 'api/'])}${v.camel(2)}`,
  ts: (v, p, rng) => `${p}/src/${rng.pick(['', 'components/', 'services/', 'models/', 'routes/'])}${v.camel(2)}`,
  minjs: (v, p, rng) => `${p}/${rng.pick(['dist', 'public/vendor'])}/${v.camel(1)}`,
  py: (v, p, rng) => `${p}/${path.basename(p).replace(/-/g, '_')}/${rng.pick(['', 'api/', 'core/', 'tests/'])}${v.snake(2)}`,
  go: (v, p, rng) => `${p}/${rng.pick(['internal', 'pkg', 'cmd'])}/${v.snake(1)}/${v.snake(2)}`,
  java: (v, p, rng) => `${p}/src/main/java/com/example/${rng.pick(['service', 'web', 'model', 'repo'])}/${v.pascal(2)}`,
  yaml: (v, p, rng) => (rng.chance(0.2) ? `.github/workflows/${v.snake(2)}` : `deploy/${rng.pick(['dev', 'staging', 'prod'])}/${v.snake(2).replace(/_/g, '-')}`),
  json: (v, p, rng) => `${p}/${rng.pick(['fixtures', 'data', 'test/fixtures'])}/${v.snake(2)}`,
  md: (v, p, rng) => (rng.chance(0.5) ? `docs/${rng.pick(['guides', 'adr', 'runbooks'])}/${v.snake(2).replace(/_/g, '-')}` : `${p}/${v.upper(1)}`),
  env: (v, p, rng) => `${p}/config/${v.snake(1)}`,
};

const AWS_ENV = { id: 'AWS_ACCESS_KEY_ID', secret: 'AWS_SECRET_ACCESS_KEY' };

/** The planted secrets: each entry makes the lines to insert; lines with a `kind` hold a secret. */
const PLANTS = [
  { count: 20, make: (rng, assign) => [{ kind: 'github-token', text: assign(rng.pick(['GITHUB_TOKEN', 'GH_TOKEN', 'GITHUB_PAT', 'DEPLOY_TOKEN']), githubToken(rng, rng.pick(['p', 'p', 'p', 'o', 's', 'u']))) }] },
  {
    count: 5,
    make: (rng, assign) => {
      const pair = awsKeyPair(rng);
      return [
        { kind: 'aws-access-key-id', text: assign(AWS_ENV.id, pair.accessKeyId) },
        { kind: 'aws-secret-access-key', text: assign(AWS_ENV.secret, pair.secretAccessKey) },
      ];
    },
  },
  { count: 5, make: (rng, assign) => [{ kind: 'slack-bot-token', text: assign(rng.pick(['SLACK_BOT_TOKEN', 'SLACK_TOKEN']), slackBotToken(rng)) }] },
  { count: 3, make: (rng, assign) => [{ kind: 'stripe-live-key', text: assign(rng.pick(['STRIPE_SECRET_KEY', 'STRIPE_API_KEY']), stripeLiveKey(rng)) }] },
  { count: 2, make: (rng, assign) => [{ kind: 'npm-token', text: assign('NPM_TOKEN', npmToken(rng)) }] },
];

function logUniform(rng, min, max) {
  return Math.round(Math.exp(Math.log(min) + rng.next() * (Math.log(max) - Math.log(min))));
}

/** Paths, languages and sizes of the files, about `targetBytes` in all. */
export function planFiles(rng, targetBytes) {
  const v = vocabulary(rng);
  const projects = Array.from({ length: 40 }, () => `${rng.pick(['services', 'packages', 'apps', 'libs', 'tools'])}/${v.snake(2).replace(/_/g, '-')}`);
  const langs = Object.keys(LANGUAGES);
  const weights = langs.map((l) => LANGUAGES[l].weight);
  const used = new Set();
  const files = [];
  let total = 0;
  // Enough files to give each planted secret its own, and a YAML file for the PEM block.
  while (total < targetBytes || files.length < MIN_FILES || !files.some((f) => f.lang === 'yaml')) {
    const lang = langs[rng.weighted(weights)];
    const size = lang === 'minjs' ? rng.int(20 * 1024, MAX_FILE) : logUniform(rng, MIN_FILE, MAX_FILE);
    const base = LAYOUT[lang](v, rng.pick(projects), rng) + '.' + rng.pick(LANGUAGES[lang].exts);
    let file = base;
    for (let n = 2; used.has(file); n++) file = base.replace(/(\.[^./]+)+$/, (ext) => `-${n}${ext}`);
    used.add(file);
    files.push({ path: file, lang, size, seed: rng.int(0, 2 ** 31), crlf: lang !== 'minjs' && rng.chance(CRLF_SHARE) });
    total += size;
  }
  return files;
}

/**
 * Assigns each planted secret to its own file (never a minified one) and a line in it; the
 * PEM keys go one into a key file of its own and one into a YAML block scalar.
 * Returns Map(file index -> lines to insert) and the extra key file.
 */
export function planSecrets(rng, files) {
  const candidates = files.map((f, i) => i).filter((i) => LANGUAGES[files[i].lang].assign);
  const plants = new Map();
  const take = (filter) => {
    const pool = candidates.filter((i) => !plants.has(i) && filter(files[i]));
    return pool[Math.floor(rng.next() * pool.length)];
  };
  for (const plant of PLANTS) {
    for (let n = 0; n < plant.count; n++) {
      const index = take(() => true);
      plants.set(index, plant.make(rng, LANGUAGES[files[index].lang].assign));
    }
  }
  const yamlKey = pemPrivateKey(rng, 'EC', 164).split('\n');
  plants.set(take((f) => f.lang === 'yaml'), [
    { text: 'tls_private_key: |' },
    ...yamlKey.map((line, i) => ({ kind: i === 0 ? 'pem-private-key' : undefined, text: '  ' + line })),
  ]);
  const keyFile = { path: 'deploy/keys/deploy_rsa.pem', text: pemPrivateKey(rng, 'RSA') + '\n' };
  return { plants, keyFile };
}

/** A line after a blank one (between functions, blocks, documents) if there is one, so code stays plausible. */
function insertionPoint(rng, lines) {
  const afterBlank = [];
  for (let i = 1; i < lines.length; i++) if (lines[i - 1] === '') afterBlank.push(i);
  return afterBlank.length > 0 ? rng.pick(afterBlank) : rng.int(1, lines.length - 1);
}

/** Writes the corpus into `outDir` (which must not exist) and returns its manifest. */
export function generateCorpus(outDir, { seed = DEFAULT_SEED, megabytes = DEFAULT_MEGABYTES } = {}) {
  const rng = createRng(seed);
  const files = planFiles(rng, megabytes * MB);
  const { plants, keyFile } = planSecrets(rng, files);
  const planted = [{ kind: 'pem-private-key', path: keyFile.path, line: 1 }];
  let totalBytes = 0;
  const write = (relative, text) => {
    const full = path.join(outDir, relative);
    ensureDir(path.dirname(full));
    fs.writeFileSync(full, text);
    totalBytes += Buffer.byteLength(text);
  };
  write(keyFile.path, keyFile.text);
  files.forEach((file, index) => {
    const fileRng = createRng(file.seed);
    const lines = LANGUAGES[file.lang].generate(fileRng, file.size);
    const insert = plants.get(index);
    if (insert) {
      const at = insertionPoint(fileRng, lines);
      lines.splice(at, 0, ...insert.map((l) => l.text));
      insert.forEach((l, i) => l.kind && planted.push({ kind: l.kind, path: file.path, line: at + i + 1 }));
    }
    write(file.path, lines.join(file.crlf ? '\r\n' : '\n') + (file.crlf ? '\r\n' : '\n'));
  });
  planted.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
  return { version: GENERATOR_VERSION, seed, megabytes, files: files.length + 1, totalBytes, planted };
}

/**
 * The cached corpus in `cacheDir`, generated first if missing or stale.
 * Returns { root, manifest, generated }.
 */
export function ensureSourceCorpus({ cacheDir = path.join(CORPUS_DIR, 'source'), seed = DEFAULT_SEED, megabytes = DEFAULT_MEGABYTES, force = false } = {}) {
  const root = path.join(cacheDir, 'tree');
  const stampFile = path.join(cacheDir, 'stamp.json');
  const manifestFile = path.join(cacheDir, 'planted.json');
  const stamp = JSON.stringify({ version: GENERATOR_VERSION, seed, megabytes });
  if (!force && fs.existsSync(root) && fs.existsSync(manifestFile) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) {
    return { root, manifest: JSON.parse(fs.readFileSync(manifestFile, 'utf8')), generated: false };
  }
  ensureDir(cacheDir);
  fs.rmSync(stampFile, { force: true });
  const building = path.join(cacheDir, `tree.building-${process.pid}`);
  fs.rmSync(building, { recursive: true, force: true });
  const manifest = generateCorpus(building, { seed, megabytes });
  fs.rmSync(root, { recursive: true, force: true });
  fs.renameSync(building, root);
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
  fs.writeFileSync(stampFile, stamp);
  return { root, manifest, generated: true };
}

async function main(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      mb: { type: 'string' },
      seed: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
  });
  const started = performance.now();
  const { root, manifest, generated } = ensureSourceCorpus({
    cacheDir: values.out ? path.resolve(values.out) : undefined,
    megabytes: values.mb ? Number(values.mb) : undefined,
    seed: values.seed ? Number(values.seed) : undefined,
    force: values.force,
  });
  const verb = generated ? `generated in ${Math.round(performance.now() - started)} ms` : 'up to date';
  console.log(`${root}: ${manifest.files} files, ${(manifest.totalBytes / MB).toFixed(1)} MB, ${manifest.planted.length} planted secrets (${verb})`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
