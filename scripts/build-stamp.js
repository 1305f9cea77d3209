// Whether dist/ was built from the sources as they are now. `npm ci` builds once (prepare), and
// `npm test` used to build again from the same sources; it now builds only when the sources
// changed since the last build. The stamp is a hash of the build's inputs' contents (not their
// times: a checkout or a copy changes times, not content), written by the build when it ends.
//   node scripts/build-stamp.js clear   before a build (a build that fails leaves no stamp)
//   node scripts/build-stamp.js write   after it
//   node scripts/build-stamp.js ensure  builds (npm run build) unless the stamp matches
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = path.join(ROOT, 'dist', '.build-stamp');
/** What the build reads. */
const INPUT_DIRS = ['src', 'detectors'];
const INPUT_FILES = ['scripts/compile-rules.js', 'scripts/bundle-cli.js', 'bin/leaksweep.js', 'bin/package.json', 'tsconfig.json', 'package.json', 'package-lock.json'];
/** What the build writes that the CLI and the tests load; a stamp without them is no build. */
const OUTPUTS = ['dist/leaksweep.js', 'dist/command-dir.cjs', 'dist/code-cache.cjs', 'dist/scan-worker.cjs', 'dist/index.js', 'dist/scanner/worker.js', 'dist/builtin-rules.json', 'dist/builtin-prefilter.bin'];

function files(dir) {
  const entries = fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true });
  return entries.flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.isFile() ? [path.join(dir, e.name)] : []));
}

export function inputsHash() {
  const hash = createHash('sha256');
  const all = [...INPUT_DIRS.flatMap(files), ...INPUT_FILES].sort();
  for (const file of all) {
    hash.update(file).update('\0');
    hash.update(fs.existsSync(path.join(ROOT, file)) ? fs.readFileSync(path.join(ROOT, file)) : '(missing)').update('\0');
  }
  return hash.digest('hex');
}

function upToDate() {
  if (!OUTPUTS.every((f) => fs.existsSync(path.join(ROOT, f)))) return false;
  return fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === inputsHash();
}

const command = process.argv[2];
if (command === 'clear') fs.rmSync(STAMP, { force: true });
else if (command === 'write') fs.writeFileSync(STAMP, inputsHash());
else if (command === 'ensure') {
  if (upToDate()) console.log('build: dist/ is up to date with the sources (npm run build rebuilds anyway)');
  else execSync('npm run build', { cwd: ROOT, stdio: 'inherit' });
} else {
  console.error('usage: node scripts/build-stamp.js clear|write|ensure');
  process.exit(2);
}
