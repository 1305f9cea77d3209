// `leaksweep logs` end to end through the built CLI.
import { describe, expect, it } from 'vitest';
import { writeFile, zipOf } from '../helpers/archives.js';
import { parseReport, runCli, tempDir } from '../helpers/cli.js';
import { githubToken } from '../helpers/secrets.js';

const TS = '2026-11-01T10:00:00.1234567Z ';

describe('leaksweep logs', () => {
  it('finds a twice-base64-encoded token in a GitHub Actions run-log zip, in the step file', async () => {
    const token = githubToken();
    const twice = Buffer.from(Buffer.from(`GITHUB_TOKEN=${token}`).toString('base64')).toString('base64');
    const step = `${TS}##[group]Run tj-actions/changed-files@v35\n${TS}\x1b[36;1m${twice}\x1b[0m\n${TS}##[endgroup]\n`;
    const dir = tempDir();
    writeFile(dir, 'run-42.zip', zipOf({ 'build/3_changed files.txt': step }));
    const r = await runCli(['logs', 'run-42.zip', '--format', 'json', '--show-secrets'], { cwd: dir });
    expect(r.code).toBe(1);
    const finding = parseReport(r.stdout).findings.find((f) => f.secret === token)!;
    expect(finding.locations).toEqual([
      expect.objectContaining({
        kind: 'log',
        path: 'run-42.zip!build/3_changed files.txt',
        archivePath: ['run-42.zip', 'build/3_changed files.txt'],
        line: 2,
        encoding: ['base64', 'base64'],
      }),
    ]);
  });

  it('exits 0 on a log whose secrets the CI masked', async () => {
    const dir = tempDir();
    writeFile(dir, 'logs/job.log', `${TS}GITHUB_TOKEN: ***\n${TS}password=***\n${TS}export AWS_SECRET_ACCESS_KEY=***\n`);
    const r = await runCli(['logs', 'logs', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(parseReport(r.stdout).findings).toEqual([]);
  });
});
