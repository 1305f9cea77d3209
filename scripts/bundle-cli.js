#!/usr/bin/env node
// A build step: bundles the CLI (src/cli/main.ts and every command it imports) into
// dist/leaksweep.js plus one chunk per command and per shared part. A pre-commit hook then
// loads a handful of files instead of a hundred modules, each resolved, read and compiled
// apart; measured on `leaksweep staged`, that is most of its start-up (see bench/staged.bench.js).
// The chunks sit directly in dist/, one level below the package root like src/package-root.ts,
// so paths to detectors/, dist/ and package.json resolve the same as from the tsc output.
// Dependencies stay external: loaded from node_modules when a command needs them (see
// src/lazy-require.ts), so a pre-commit scan without a config file loads none.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT_DIR = join(ROOT, 'dist');
const PREFIX = 'leaksweep';
const { dependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const external = Object.keys(dependencies);

// Chunk names change with their content: remove the previous build's.
for (const name of readdirSync(OUT_DIR)) {
  if (name === `${PREFIX}.js` || (name.startsWith(`${PREFIX}-`) && name.endsWith('.js'))) rmSync(join(OUT_DIR, name));
}

await build({
  entryPoints: { [PREFIX]: join(ROOT, 'src/cli/main.ts') },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: OUT_DIR,
  chunkNames: `${PREFIX}-[hash]`,
  external: external.flatMap((name) => [name, `${name}/*`]),
  logLevel: 'warning',
});
