import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { GITLEAKS_CONFIG_FILE } from '../../config/resolve.js';
import { formatLeaksweepToml, importGitleaksConfig } from '../../config/gitleaks.js';
import { ConfigError } from '../../config/config.js';
import { UsageError, writeFileAtomic } from '../common.js';

export const usage = `leaksweep config import-gitleaks [--input .gitleaks.toml] [--output .leaksweep.toml]

Writes the leaksweep configuration equivalent to a gitleaks one (rules with regex, secretGroup,
entropy, keywords and path; allowlists; [extend] useDefault) and lists, as comments and on
stderr, whatever could not be mapped. Without --output it prints to stdout.`;

export async function run(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb !== 'import-gitleaks') throw new UsageError('config takes the verb "import-gitleaks"');
  const { values } = parseArgs({ args: rest, options: { input: { type: 'string', short: 'i' }, output: { type: 'string', short: 'o' } } });
  const input = values.input ?? GITLEAKS_CONFIG_FILE;
  let text: string;
  try {
    text = readFileSync(input, 'utf8');
  } catch (err) {
    throw new ConfigError(`${input}: ${(err as Error).message}`);
  }
  const imported = importGitleaksConfig(text, input);
  const toml = formatLeaksweepToml(imported);
  for (const note of imported.unmapped) process.stderr.write(`not mapped: ${note}\n`);
  if (values.output) writeFileAtomic(values.output, toml);
  else process.stdout.write(toml);
  return 0;
}
