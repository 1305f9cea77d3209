import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadBuiltinRules } from '../../engine/rules.js';
import { ruleCatalog } from '../../engine/analyzer-registry.js';
import { FORMATS, formatView, isFormat } from '../../report/index.js';
import { mergeReports, MergeError, readReport } from '../../report/merge.js';
import { EXIT, UsageError, writeFileAtomic } from '../common.js';

export const usage = `leaksweep merge REPORT... [--format json|jsonl|sarif|csv|html|text] [--output FILE] [--exit-code N]

Folds reports written with --format json or jsonl (for example one per --shard) into one:
findings united by fingerprint with all their locations. Secrets stay as the reports hold them.
Exit code: 1 when the merged report has findings, 3 when a report is incomplete or lists errors.`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { format: { type: 'string' }, output: { type: 'string', short: 'o' }, 'exit-code': { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length === 0) throw new UsageError('merge needs at least one REPORT');
  const format = values.format ?? 'json';
  if (!isFormat(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${format}"`);
  const reports = positionals.map((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`${file}: ${(err as Error).message}`);
    }
    try {
      return readReport(text, file);
    } catch (err) {
      if (err instanceof MergeError) throw new UsageError(err.message);
      throw err;
    }
  });
  const merged = mergeReports(reports);
  const text = await formatView(merged, format, { rules: ruleCatalog(loadBuiltinRules()), color: false });
  if (values.output) writeFileAtomic(values.output, text);
  else process.stdout.write(text);
  if (merged.errors.length > 0) return EXIT.incomplete;
  return merged.findings.length > 0 ? Number(values['exit-code'] ?? EXIT.findings) : EXIT.clean;
}
