import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { locateRepo, StagedSource } from '../../sources/staged.js';
import { commonOptions, commonUsage, UsageError } from '../options.js';

export const ALLOW_HINT =
  'Commit blocked. Not a secret? Add a `leaksweep:allow` comment to its line, or put its fingerprint (above) in .leaksweepignore. A real secret: remove it from the change and rotate it.';

export const usage = `leaksweep staged [PATH] [options]

Scans exactly what \`git commit\` would record in the repository containing PATH (default "."):
the lines the index adds relative to HEAD (or to nothing before the first commit); during a
merge, only lines new relative to every parent. The working tree does not count. Made for
pre-commit hooks (see \`leaksweep install-hook\`): exits 1 when the commit would add a secret.
.leaksweep.toml and .leaksweepignore are read from the repository's top level.

${commonUsage}`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { ...commonOptions }, allowPositionals: true });
  if (positionals.length > 1) throw new UsageError('staged takes one PATH');
  const info = await locateRepo(resolve(positionals[0] ?? '.'));
  if ('error' in info) throw new UsageError(`not inside a git worktree: ${info.error}`);
  // git diffs the index while the scanner and the rules load.
  const source = new StagedSource(info).start();
  try {
    const { runScanCommand } = await import('../common.js');
    return await runScanCommand([source], values, { root: info.top, hint: ALLOW_HINT });
  } finally {
    await source.close();
  }
}
