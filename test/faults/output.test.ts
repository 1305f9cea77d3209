// Where the report goes is an input too: a missing folder, a folder, a fifo or a device given
// as --output must end in one line (exit 2) or a report written in place, never a crash, a
// half-written file, or a device replaced by a regular file.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFile } from '../helpers/archives.js';
import { BIN } from '../helpers/cli.js';
import { githubToken } from '../helpers/secrets.js';
import { assertNoStackTrace, caseDir } from './contract.js';

function scanDirWith(dir: string, output: string, format = 'json'): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'dir', join(dir, 'src'), '--format', format, '--output', output, '--no-progress'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

function setup(label: string): { dir: string; secret: string } {
  const dir = caseDir(label);
  const secret = githubToken();
  writeFile(dir, 'src/ok.txt', `deploy_token = "${secret}"\n`);
  return { dir, secret };
}

describe('--output', () => {
  for (const format of ['json', 'jsonl']) {
    it(`a missing folder or a folder: one line, exit 2, nothing left (${format})`, async () => {
      const { dir } = setup('out-missing');
      for (const output of [join(dir, 'no/such/dir/report.json'), join(dir, 'src')]) {
        const run = await scanDirWith(dir, output, format);
        expect(run.code, run.stderr).toBe(2);
        assertNoStackTrace(run.stderr, output);
        expect(run.stderr.trim().split('\n')).toHaveLength(1);
        expect(run.stderr).toContain(`cannot write ${output}`);
      }
      expect(readdirSync(dir).sort()).toEqual(['src']);
      expect(readdirSync(join(dir, 'src'))).toEqual(['ok.txt']);
    });

    it(`a fifo is written in place and stays a fifo (${format})`, async () => {
      const { dir, secret } = setup('out-fifo');
      const fifo = join(dir, 'report.pipe');
      execFileSync('mkfifo', [fifo]);
      const reader = spawn('cat', [fifo]);
      let text = '';
      reader.stdout.on('data', (d: Buffer) => (text += d.toString()));
      const read = new Promise((resolve) => reader.on('close', resolve));
      const run = await scanDirWith(dir, fifo, format);
      await read;
      expect(run.code, run.stderr).toBe(1);
      expect(statSync(fifo).isFIFO()).toBe(true);
      expect(text).toContain('github-pat-classic');
      expect(text).not.toContain(secret);
      expect(readdirSync(dir).sort()).toEqual(['report.pipe', 'src']);
    });
  }

  it('a character device (a null device like /dev/null, made in the case folder) stays a device', async () => {
    const { dir } = setup('out-dev');
    const device = join(dir, 'null');
    execFileSync('mknod', ['-m', '666', device, 'c', '1', '3']);
    const run = await scanDirWith(dir, device);
    expect(run.code, run.stderr).toBe(1);
    expect(statSync(device).isCharacterDevice()).toBe(true);
    expect(readFileSync(device, 'utf8')).toBe('');
    expect(readdirSync(dir).sort()).toEqual(['null', 'src']);
  });
});
