// `leaksweep <command>`: dispatches to src/cli/commands/<command>.ts, imported only when used,
// so a pre-commit `staged` scan never loads the S3 SDK or the archive readers.
import { runCommand, type Command } from './dispatch.js';
import { EXIT } from './options.js';
import { VERSION } from '../version.js';

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  dir: { summary: 'scan files and folders', load: () => import('./commands/dir.js') },
  stdin: { summary: 'scan standard input', load: () => import('./commands/stdin.js') },
  git: { summary: 'scan the history of a git repository', load: () => import('./commands/git.js') },
  staged: { summary: 'scan what `git commit` would record (pre-commit)', load: () => import('./commands/staged.js') },
  'install-hook': { summary: 'install a pre-commit hook that runs `leaksweep staged`', load: () => import('./commands/install-hook.js') },
  tfstate: { summary: 'scan Terraform state files, folders and s3:// buckets', load: () => import('./commands/tfstate.js') },
  logs: { summary: 'scan CI logs and GitHub Actions log archives', load: () => import('./commands/logs.js') },
  artifact: { summary: 'scan build artifacts: archives, packages, container images', load: () => import('./commands/artifact.js') },
  rules: { summary: 'list the rules in effect', load: () => import('./commands/rules.js') },
  baseline: { summary: 'record the fingerprints of a scan\'s findings as a baseline', load: () => import('./commands/baseline.js') },
  config: { summary: 'import a gitleaks configuration', load: () => import('./commands/config.js') },
  merge: { summary: 'fold JSON/JSONL reports (shards) into one', load: () => import('./commands/merge.js') },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `leaksweep ${VERSION}: finds secrets in git history, staged changes, files, Terraform state, CI logs and artifacts.

Usage: leaksweep <command> [options]   (leaksweep <command> --help for its options)

Commands:
${lines.join('\n')}

Exit codes: 0 no findings, 1 findings, 2 usage or configuration error, 3 some input could not be read.
`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return name === undefined ? EXIT.usage : EXIT.clean;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`${VERSION}\n`);
    return EXIT.clean;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    process.stderr.write(`leaksweep: unknown command "${name}"\n\n${help()}`);
    return EXIT.usage;
  }
  return runCommand(name, rest, entry.load);
}
