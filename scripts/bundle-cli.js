#!/usr/bin/env node
// A build step: bundles the CLI (src/cli/main.ts and every command it imports) into
// dist/leaksweep.js plus one chunk per command and per shared part. A pre-commit hook then
// loads a handful of files instead of a hundred modules, each resolved, read and compiled
// apart; measured on `leaksweep staged`, that is most of its start-up (see bench/staged.bench.js).
// The chunks sit directly in dist/, one level below the package root like src/package-root.ts,
// so paths to detectors/, dist/ and package.json resolve the same as from the tsc output.
// `staged` and `git` (ONE_FILE_COMMANDS) also get a file each with no chunks at all, which
// bin/leaksweep.js runs for them: Node's ESM loader resolves, reads, compiles and links every
// chunk one by one, and that cost more than the extra code of one whole file (a pre-commit scan
// loaded 13 chunks; the one file took it from about 480 to 320 ms of CPU, 30 runs each).
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
const external = Object.keys(dependencies).flatMap((name) => [name, `${name}/*`]);
/** Commands bundled alone into dist/leaksweep-<command>.js; bin/leaksweep.js names the same. */
const ONE_FILE_COMMANDS = ['staged', 'git'];
const BIN = join(ROOT, 'bin', 'leaksweep.js');

// Chunk names change with their content: remove the previous build's.
for (const name of readdirSync(OUT_DIR)) {
  if (name === `${PREFIX}.js` || (name.startsWith(`${PREFIX}-`) && name.endsWith('.js'))) rmSync(join(OUT_DIR, name));
}

const common = { bundle: true, format: 'esm', platform: 'node', target: 'node20', external, logLevel: 'warning' };

await build({
  ...common,
  entryPoints: { [PREFIX]: join(ROOT, 'src/cli/main.ts') },
  splitting: true,
  outdir: OUT_DIR,
  chunkNames: `${PREFIX}-[hash]`,
});

const binText = readFileSync(BIN, 'utf8');
for (const command of ONE_FILE_COMMANDS) {
  const file = `${PREFIX}-${command}.js`;
  if (!binText.includes(`'${command}'`)) throw new Error(`bin/leaksweep.js does not route "${command}" to dist/${file}`);
  // The command imported statically, so its import() calls are inlined rather than split off;
  // a dependency it imports statically would be loaded up front (none of these two does).
  await build({
    ...common,
    stdin: {
      contents: `import { runCommand } from './dispatch.js';
import * as command from './commands/${command}.js';
export const main = ([name, ...rest]) => runCommand(name, rest, async () => command);`,
      resolveDir: join(ROOT, 'src', 'cli'),
      sourcefile: `${command}-entry.ts`,
      loader: 'ts',
    },
    outfile: join(OUT_DIR, file),
  });
}
