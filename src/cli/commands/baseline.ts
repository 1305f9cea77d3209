import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baselineFrom, formatBaseline } from '../../findings/baseline.js';
import type { Finding } from '../../types.js';
import { EXIT, UsageError, writeFileAtomic } from '../common.js';
import { main } from '../main.js';

export const usage = `leaksweep baseline create --output FILE <scan command and its arguments>

Runs the scan (e.g. \`leaksweep baseline create --output .leaksweep-baseline.json git .\`) and
records the fingerprints of its findings: no secrets and no line numbers, so moving code never
churns the file; entries are sorted, one a line. Later scans given --baseline FILE report only
what is not in it.`;

export async function run(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb !== 'create') throw new UsageError('baseline takes the verb "create"');
  let output: string | undefined;
  while (rest[0]?.startsWith('-')) {
    const flag = rest.shift()!;
    if (flag === '--output' || flag === '-o') output = rest.shift();
    else if (flag.startsWith('--output=')) output = flag.slice('--output='.length);
    else throw new UsageError(`unknown option ${flag} before the scan command`);
  }
  if (!output) throw new UsageError('baseline create needs --output FILE');
  if (rest.length === 0) throw new UsageError('baseline create needs a scan command, e.g. "dir ." or "git ."');
  const dir = mkdtempSync(join(tmpdir(), 'leaksweep-baseline-'));
  try {
    const report = join(dir, 'report.json');
    const code = await main([...rest, '--format', 'json', '--output', report, '--no-progress']);
    if (code === EXIT.usage) return code;
    const { findings } = JSON.parse(readFileSync(report, 'utf8')) as { findings: Finding[] };
    writeFileAtomic(output, formatBaseline(baselineFrom(findings)));
    process.stderr.write(`leaksweep: ${findings.length} finding(s) recorded in ${output}\n`);
    return code === EXIT.incomplete ? EXIT.incomplete : EXIT.clean;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
