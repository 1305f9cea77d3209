#!/usr/bin/env node
// Generates the git history corpus for the git bench: 4,000 commits over 1,500 source files
// (a few lines changed per commit, ~170 MB of blob versions), a few planted fake secrets (some
// removed again later, one only on an unmerged branch, one arriving through a merge), tags,
// built with `git fast-import` from a seeded PRNG into bench/.corpus/git-history/repo.git.
// The manifest (planted.json) lists where each secret was added: commit, path, line, kind.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { planFiles } from './gen-source-corpus.js';
import { awsKeyPair, githubToken, npmToken, slackBotToken, stripeLiveKey } from './lib/fake-secrets.js';
import { createRng } from './lib/prng.js';
import { LANGUAGES } from './lib/source-text.js';
import { CORPUS_DIR, ensureDir } from './lib/paths.js';

export const GENERATOR_VERSION = 2;
export const DEFAULT_SEED = 4004;
export const DEFAULT_COMMITS = 4000;
export const DEFAULT_FILES = 1500;
const AVERAGE_FILE_BYTES = 15 * 1024;
const START = Date.UTC(2020, 0, 1) / 1000;
const AUTHORS = [
  ['Ana Lima', 'ana@example.com'],
  ['Li Wei', 'li@example.com'],
  ['Sam Okafor', 'sam@example.com'],
  ['Omar Haddad', 'omar@example.com'],
];
/** Plants at these fractions of the history; `removeAfter` commits later the line is deleted again. */
const PLANTS = [
  { at: 0.05, kind: 'github-token', make: (rng) => githubToken(rng), name: 'GITHUB_TOKEN', removeAfter: 3 },
  { at: 0.15, kind: 'aws-access-key-id', make: (rng) => awsKeyPair(rng).accessKeyId, name: 'AWS_ACCESS_KEY_ID' },
  { at: 0.3, kind: 'slack-bot-token', make: (rng) => slackBotToken(rng), name: 'SLACK_BOT_TOKEN', removeAfter: 1 },
  { at: 0.45, kind: 'stripe-live-key', make: (rng) => stripeLiveKey(rng), name: 'STRIPE_SECRET_KEY' },
  { at: 0.6, kind: 'npm-token', make: (rng) => npmToken(rng), name: 'NPM_TOKEN', removeAfter: 10 },
  { at: 0.8, kind: 'github-token', make: (rng) => githubToken(rng, 'o'), name: 'GH_TOKEN' },
  { at: 0.97, kind: 'github-token', make: (rng) => githubToken(rng, 's'), name: 'DEPLOY_TOKEN' },
];
/** The unmerged branch (with a secret) forks here; the merged topic branch forks and merges here. */
const BRANCH_AT = 0.5;
const TOPIC_FROM = 0.7;
const TOPIC_MERGE = 0.72;

class Writer {
  constructor(stream) {
    this.stream = stream;
    this.parts = [];
    this.size = 0;
  }
  data(text) {
    const bytes = Buffer.from(text, 'utf8');
    this.raw(`data ${bytes.length}\n`);
    this.parts.push(bytes, Buffer.from('\n'));
    this.size += bytes.length + 1;
  }
  raw(text) {
    this.parts.push(Buffer.from(text, 'utf8'));
    this.size += text.length;
  }
  async flush(force = false) {
    if (!force && this.size < 4 * 1024 * 1024) return;
    const ok = this.stream.write(Buffer.concat(this.parts));
    this.parts = [];
    this.size = 0;
    if (!ok) await new Promise((resolve) => this.stream.once('drain', resolve));
  }
}

/** Streams the history into `git fast-import` in `repo` (a new bare repository). */
export async function generateHistory(repo, { seed = DEFAULT_SEED, commits = DEFAULT_COMMITS, files: fileCount = DEFAULT_FILES } = {}) {
  const rng = createRng(seed);
  // A little over the target size, so there are always enough files to keep `fileCount`.
  const plan = planFiles(rng, (fileCount + 100) * AVERAGE_FILE_BYTES).slice(0, fileCount);
  const state = plan.map((f) => ({ path: f.path, lang: f.lang, lines: LANGUAGES[f.lang].generate(createRng(f.seed), f.size) }));
  const editable = state.map((_, i) => i).filter((i) => state[i].lang !== 'minjs' && LANGUAGES[state[i].lang].assign);
  ensureDir(repo);
  await run('git', ['init', '-q', '--bare', repo]);
  const marksFile = path.join(repo, 'marks.txt');
  const child = spawn('git', ['-C', repo, 'fast-import', '--quiet', `--export-marks=${marksFile}`], { stdio: ['pipe', 'inherit', 'inherit'] });
  const done = new Promise((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git fast-import exited ${code}`)))));
  const w = new Writer(child.stdin);
  const planted = [];
  const removals = new Map(); // commit index -> [{ file, text }]
  let blobBytes = 0;
  let mark = 0;
  const heads = { main: 0 };

  const commit = (branch, i, message, changes, from, merge) => {
    const [name, email] = AUTHORS[i % AUTHORS.length];
    const when = START + i * 3600;
    mark++;
    w.raw(`commit refs/heads/${branch}\nmark :${mark}\nauthor ${name} <${email}> ${when} +0000\ncommitter ${name} <${email}> ${when} +0000\n`);
    w.data(message);
    if (from) w.raw(`from :${from}\n`);
    if (merge) w.raw(`merge :${merge}\n`);
    if (mark === 1) w.raw('deleteall\n');
    for (const file of changes) {
      const text = file.lines.join('\n') + '\n';
      blobBytes += Buffer.byteLength(text);
      w.raw(`M 100644 inline ${file.path}\n`);
      w.data(text);
    }
    w.raw('\n');
    return mark;
  };
  const lineOf = (file) => {
    const sample = LANGUAGES[file.lang].generate(rng, 300);
    return rng.pick(sample.filter((l) => l.trim().length > 0 && !/[{}]\s*$/.test(l))) ?? '';
  };
  const editSome = (file) => {
    for (let k = rng.int(1, 3); k > 0; k--) {
      const at = rng.int(1, Math.max(1, file.lines.length - 1));
      if (rng.chance(0.5)) file.lines.splice(at, 0, lineOf(file));
      else file.lines[at] = lineOf(file);
    }
  };
  const plant = (spec, file, commitIndex, branch) => {
    const at = rng.int(1, Math.max(1, file.lines.length - 1));
    const text = LANGUAGES[file.lang].assign(spec.name, spec.make(rng));
    file.lines.splice(at, 0, text);
    planted.push({ kind: spec.kind, commitIndex, branch, path: file.path, line: at + 1 });
    if (spec.removeAfter) {
      const list = removals.get(commitIndex + spec.removeAfter) ?? [];
      list.push({ file, text });
      removals.set(commitIndex + spec.removeAfter, list);
    }
  };
  const markOf = new Map();
  markOf.set(0, commit('main', 0, 'initial import', state));
  heads.main = markOf.get(0);
  const plantAt = new Map(PLANTS.map((p) => [Math.round(p.at * (commits - 1)), p]));
  const topicFrom = Math.round(TOPIC_FROM * commits);
  const topicMerge = Math.round(TOPIC_MERGE * commits);
  const branchAt = Math.round(BRANCH_AT * commits);
  let topicHead = 0;
  const topicFiles = [];
  for (let i = 1; i < commits; i++) {
    const changed = new Set();
    for (let n = rng.int(1, 4); n > 0; n--) {
      const file = state[rng.pick(editable)];
      editSome(file);
      changed.add(file);
    }
    const spec = plantAt.get(i);
    if (spec) {
      const file = state[rng.pick(editable)];
      plant(spec, file, i, 'main');
      changed.add(file);
    }
    for (const { file, text } of removals.get(i) ?? []) {
      const at = file.lines.indexOf(text);
      if (at >= 0) file.lines.splice(at, 1);
      changed.add(file);
    }
    if (i === topicMerge && topicHead) {
      // The topic's files are new ones, so the merge result is main's tree plus them.
      heads.main = commit('main', i, `Merge branch 'topic'`, [...changed, ...topicFiles], heads.main, topicHead);
    } else heads.main = commit('main', i, `change ${i}`, [...changed], heads.main);
    markOf.set(i, heads.main);
    if (i % 1000 === 0) w.raw(`reset refs/tags/v${i / 1000}\nfrom :${heads.main}\n\n`);
    if (i === branchAt) {
      // An unmerged branch: its secret is only reachable from refs/heads/feature/leak.
      let head = heads.main;
      const copy = state.map((f) => ({ ...f, lines: [...f.lines] }));
      for (let k = 0; k < 10; k++) {
        const file = copy[rng.pick(editable)];
        if (k === 5) plant({ kind: 'github-token', make: (r) => githubToken(r), name: 'FEATURE_TOKEN' }, file, i * 100 + k, 'feature/leak');
        else editSome(file);
        head = commit('feature/leak', i, `feature ${k}`, [file], head);
        markOf.set(`feature-${k}`, head);
        if (k === 5) planted[planted.length - 1].mark = head;
      }
    }
    if (i === topicFrom) {
      let head = heads.main;
      for (let k = 0; k < 5; k++) {
        const file = { path: `services/topic/part-${k}.py`, lang: 'py', lines: LANGUAGES.py.generate(rng, 4000) };
        if (k === 2) plant({ kind: 'aws-access-key-id', make: (r) => awsKeyPair(r).accessKeyId, name: 'TOPIC_AWS_ACCESS_KEY_ID' }, file, i * 100 + k, 'topic');
        topicFiles.push(file);
        head = commit('topic', i, `topic ${k}`, [file], head);
        if (k === 2) planted[planted.length - 1].mark = head;
      }
      topicHead = head;
    }
    await w.flush();
  }
  w.raw(`reset refs/heads/main\nfrom :${heads.main}\n\n`);
  await w.flush(true);
  child.stdin.end();
  await done;
  const oids = new Map(
    fs.readFileSync(marksFile, 'utf8').trim().split('\n').map((l) => {
      const [m, oid] = l.split(' ');
      return [Number(m.slice(1)), oid];
    }),
  );
  fs.rmSync(marksFile);
  await run('git', ['-C', repo, 'symbolic-ref', 'HEAD', 'refs/heads/main']);
  for (const p of planted) {
    p.commit = oids.get(p.mark ?? markOf.get(p.commitIndex));
    delete p.mark;
    delete p.commitIndex;
  }
  return { version: GENERATOR_VERSION, seed, commits, files: state.length, blobBytes, planted };
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'inherit' });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`))));
  });
}

/** The cached history in `cacheDir`, generated first if missing or stale: { repo, manifest, generated }. */
export async function ensureGitHistory({ cacheDir = path.join(CORPUS_DIR, 'git-history'), seed = DEFAULT_SEED, commits = DEFAULT_COMMITS, files = DEFAULT_FILES, force = false } = {}) {
  const repo = path.join(cacheDir, 'repo.git');
  const stampFile = path.join(cacheDir, 'stamp.json');
  const manifestFile = path.join(cacheDir, 'planted.json');
  const stamp = JSON.stringify({ version: GENERATOR_VERSION, seed, commits, files });
  if (!force && fs.existsSync(repo) && fs.existsSync(manifestFile) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) {
    return { repo, manifest: JSON.parse(fs.readFileSync(manifestFile, 'utf8')), generated: false };
  }
  ensureDir(cacheDir);
  fs.rmSync(stampFile, { force: true });
  fs.rmSync(repo, { recursive: true, force: true });
  const manifest = await generateHistory(repo, { seed, commits, files });
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
  fs.writeFileSync(stampFile, stamp);
  return { repo, manifest, generated: true };
}

async function main(argv) {
  const { values } = parseArgs({ args: argv, options: { out: { type: 'string' }, commits: { type: 'string' }, files: { type: 'string' }, seed: { type: 'string' }, force: { type: 'boolean', default: false } } });
  const started = performance.now();
  const { repo, manifest, generated } = await ensureGitHistory({
    cacheDir: values.out ? path.resolve(values.out) : undefined,
    commits: values.commits ? Number(values.commits) : undefined,
    files: values.files ? Number(values.files) : undefined,
    seed: values.seed ? Number(values.seed) : undefined,
    force: values.force,
  });
  const verb = generated ? `generated in ${Math.round(performance.now() - started)} ms` : 'up to date';
  console.log(`${repo}: ${manifest.commits} commits, ${manifest.files} files, ${(manifest.blobBytes / 1048576).toFixed(1)} MB of blob versions, ${manifest.planted.length} planted secrets (${verb})`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
