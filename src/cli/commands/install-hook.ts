import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { packagePath } from '../../package-root.js';
import { runGit } from '../../sources/git/exec.js';
import { EXIT, UsageError } from '../common.js';

/** Marks a hook as ours, so re-installing may replace it and a foreign one is never lost. */
export const HOOK_MARKER = '# leaksweep pre-commit hook';

export const usage = `leaksweep install-hook [PATH] [--force]

Writes a git pre-commit hook for the repository containing PATH (default ".") that runs
\`leaksweep staged\` and blocks a commit that adds a secret. Honours core.hooksPath. An existing
hook that leaksweep did not write is kept unless --force is given (then it is saved next to the
new one as pre-commit.leaksweep-backup). With the pre-commit framework, use the hook "leaksweep"
from this repository's .pre-commit-hooks.yaml instead.

  --force    replace an existing pre-commit hook that leaksweep did not write`;

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The hook runs this installation of leaksweep when it still exists, else the one on PATH. */
export function hookScript(node: string, bin: string): string {
  return `#!/bin/sh
${HOOK_MARKER} (written by \`leaksweep install-hook\`; edit or delete freely).
# It blocks a commit that adds a secret. A false positive: add a \`leaksweep:allow\` comment to
# the line, or put the finding's fingerprint in .leaksweepignore.
if [ -f ${shellQuote(bin)} ] && [ -x ${shellQuote(node)} ]; then
  exec ${shellQuote(node)} ${shellQuote(bin)} staged --format text --no-progress
fi
exec leaksweep staged --format text --no-progress
`;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  if (positionals.length > 1) throw new UsageError('install-hook takes one PATH');
  const dir = resolve(positionals[0] ?? '.');
  const found = await runGit(dir, ['rev-parse', '--git-path', 'hooks/pre-commit']);
  if (found.code !== 0) throw new UsageError(`not inside a git repository: ${found.stderr}`);
  const hook = resolve(dir, found.stdout.toString('utf8').trim());
  if (existsSync(hook) && !readFileSync(hook, 'utf8').includes(HOOK_MARKER)) {
    if (!values.force) {
      process.stderr.write(`leaksweep install-hook: ${hook} exists and was not written by leaksweep; not replaced (use --force to replace it, keeping a backup)\n`);
      return EXIT.usage;
    }
    copyFileSync(hook, `${hook}.leaksweep-backup`);
  }
  const bin = packagePath('bin', 'leaksweep.js');
  mkdirSync(dirname(hook), { recursive: true });
  writeFileSync(hook, hookScript(process.execPath, bin));
  chmodSync(hook, 0o755);
  process.stdout.write(`installed ${hook}\n`);
  return EXIT.clean;
}
