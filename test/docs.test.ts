// Generated documentation must match what it documents.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';

it('docs/rules.md lists the rule pack as it is (node scripts/rules-doc.js regenerates it)', () => {
  const res = spawnSync(process.execPath, [resolve(import.meta.dirname, '../scripts/rules-doc.js'), '--check'], { encoding: 'utf8' });
  expect(res.stderr).toBe('');
  expect(res.status).toBe(0);
});
