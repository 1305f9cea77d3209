import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DirSource } from '../../sources/fs.js';
import { cacheOptions, cacheUsage, commonOptions, commonUsage, parseSize, runScanCommand, UsageError } from '../common.js';
import { DEFAULT_MAX_FILE_SIZE } from '../../scanner/run.js';

// Its workers start first thing, so they have loaded by the time the scan needs them.
export { prestartFolderScan as prestart } from '../prestart.js';

export const usage = `leaksweep dir PATH... [options]

Scans files and folders. Honours .gitignore files, skips .git/ and binary files, never follows
symbolic links. The first PATH is the root that paths in the report are relative to and where
.leaksweep.toml and .leaksweepignore are read.

  --max-file-size SIZE   larger files are listed in errors, not scanned (default 25MB)
  --no-gitignore         scan files .gitignore excludes too

${cacheUsage}

${commonUsage}`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { ...commonOptions, ...cacheOptions, 'max-file-size': { type: 'string' }, 'no-gitignore': { type: 'boolean' } },
    allowPositionals: true,
  });
  if (positionals.length === 0) throw new UsageError('dir needs at least one PATH');
  const first = resolve(positionals[0]);
  let root = first;
  try {
    if (!statSync(first).isDirectory()) root = dirname(first);
  } catch {
    // A missing path is reported as an unreadable input by the source.
    root = dirname(first);
  }
  const maxFileSize = values['max-file-size'] ? parseSize(values['max-file-size'], '--max-file-size') : DEFAULT_MAX_FILE_SIZE;
  const source = new DirSource({ paths: positionals, gitignore: !values['no-gitignore'] });
  return runScanCommand([source], values, { root, maxFileSize });
}
