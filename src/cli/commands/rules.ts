import { parseArgs } from 'node:util';
import { effectiveRules } from '../../config/config.js';
import { resolveConfig } from '../../config/resolve.js';
import { loadBuiltinRules } from '../../engine/rules.js';

export const usage = `leaksweep rules [--config FILE] [--format text|json]

Lists the rules in effect: the built-in pack, minus those the config disables, plus its own.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { config: { type: 'string', short: 'c' }, format: { type: 'string' } } });
  const rules = effectiveRules(loadBuiltinRules(), resolveConfig(values.config, process.cwd()));
  if (values.format === 'json') {
    const list = rules.map(({ id, title, severity, keywords, confidence, origin }) => ({ id, title, severity, keywords, confidence, origin }));
    process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
  } else {
    for (const r of rules) process.stdout.write(`${r.id.padEnd(40)} ${r.severity.padEnd(8)} ${r.title}\n`);
    process.stdout.write(`${rules.length} rules\n`);
  }
  return 0;
}
