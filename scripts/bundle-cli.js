#!/usr/bin/env node
// A build step: bundles the CLI so that a run loads one file, not a hundred modules each
// resolved, read, compiled and linked apart by Node's ESM loader; measured on `leaksweep staged`,
// that was most of its start-up (see bench/staged.bench.js).
//  - dist/command-<name>.cjs: each command alone, with no chunks, which bin/leaksweep.js runs for
//    it (chunks cost more than the extra code of one whole file: a pre-commit scan loaded 13;
//    the one file took it from about 480 to 320 ms of CPU, 30 runs each). CommonJS, so that it
//    runs with V8's code cache (src/cli/code-cache.ts, bundled alone into dist/code-cache.cjs),
//    and so that Node's built-in modules are required, not given an ES module facade each;
//  - dist/scan-worker.cjs: the worker thread's code, for the same reason, and CommonJS: a worker
//    started on an ES module sets up the module loader first (about 28 ms of CPU per worker);
//  - dist/leaksweep.js and its chunks: the command table (help, unknown commands).
// They sit directly in dist/, one level below the package root like src/package-root.ts, so
// paths to detectors/, dist/ and package.json resolve the same as from the tsc output.
// Dependencies stay external: loaded from node_modules when a command needs them (see
// src/lazy-require.ts), so a pre-commit scan without a config file loads none.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_HEAD, BUNDLE_TAIL } from '../dist/cli/code-cache.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT_DIR = join(ROOT, 'dist');
const PREFIX = 'leaksweep';
const { dependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const external = Object.keys(dependencies).flatMap((name) => [name, `${name}/*`]);
/** Every command (src/cli/commands/<name>.ts) is also bundled alone, into dist/command-<name>.cjs. */
const COMMANDS = readdirSync(join(ROOT, 'src', 'cli', 'commands')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));

// Chunk names change with their content: remove the previous build's, and its code caches.
for (const name of readdirSync(OUT_DIR)) {
  if (/^(leaksweep|command-.*|scan-worker)\.js$|^leaksweep-.*\.js$|^scan-worker\.cjs$|^(command-.*|code-cache)\.cjs(\.cache(\.\d+\.tmp)?)?$/.test(name)) rmSync(join(OUT_DIR, name));
}

const common = { bundle: true, format: 'esm', platform: 'node', target: 'node20', external, logLevel: 'warning' };
/**
 * CommonJS has no import.meta: its url is taken from __filename, which Node's loader and
 * src/cli/code-cache.ts both give a module. A dependency's import() becomes require(): a script
 * run by vm has no loader for import() (vm's option for one is experimental in Node 20, and
 * warns on stderr).
 */
const commonJs = {
  ...common,
  format: 'cjs',
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: 'var __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
};

await build({
  ...common,
  entryPoints: { [PREFIX]: join(ROOT, 'src/cli/main.ts') },
  splitting: true,
  outdir: OUT_DIR,
  chunkNames: `${PREFIX}-[hash]`,
});

for (const command of COMMANDS) {
  // The command imported statically, so its import() calls are inlined rather than split off;
  // a dependency it imports statically is loaded up front (only those it needs for any scan).
  // Written inside Node's module wrapper, which loadBundle() would otherwise add at every run.
  await build({
    ...commonJs,
    banner: { js: `${BUNDLE_HEAD}${commonJs.banner.js}` },
    footer: { js: BUNDLE_TAIL },
    stdin: {
      contents: `import { runCommand } from './dispatch.js';
import * as command from './commands/${command}.js';
export const main = ([name, ...rest]) => runCommand(name, rest, async () => command);`,
      resolveDir: join(ROOT, 'src', 'cli'),
      sourcefile: `${command}-entry.ts`,
      loader: 'ts',
    },
    outfile: join(OUT_DIR, `command-${command}.cjs`),
  });
}

// What bin/leaksweep.js runs a command's bundle with.
await build({ ...common, format: 'cjs', entryPoints: [join(ROOT, 'src/cli/code-cache.ts')], outfile: join(OUT_DIR, 'code-cache.cjs') });

// A worker thread loads one file too, not the engine's modules one by one (src/scanner/pool.ts).
await build({ ...commonJs, entryPoints: [join(ROOT, 'src/scanner/worker.ts')], outfile: join(OUT_DIR, 'scan-worker.cjs') });
