import { parseArgs } from 'node:util';
import { StdinSource } from '../../sources/stdin.js';
import { commonOptions, commonUsage, runScanCommand } from '../common.js';

export const usage = `leaksweep stdin [--name NAME] [options]

Scans standard input as one input; --name is the path shown in the report (default "stdin").

${commonUsage}`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...commonOptions, name: { type: 'string' } }, allowPositionals: false });
  return runScanCommand([new StdinSource(process.stdin, values.name ?? 'stdin')], values, { root: process.cwd() });
}
