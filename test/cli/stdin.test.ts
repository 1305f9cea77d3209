import { describe, expect, it } from 'vitest';
import { parseReport, runCli } from '../helpers/cli.js';
import { githubToken, rng } from '../helpers/secrets.js';

describe('leaksweep stdin', () => {
  it('scans piped input under --name, with no progress output when stderr is not a terminal', async () => {
    const token = githubToken(undefined, rng(9));
    const res = await runCli(['stdin', '--name', 'build.log', '--format', 'json'], { input: `step 1\nexport GH=${token}\n` });
    expect(res.code).toBe(1);
    expect(res.stderr).toBe('');
    const report = parseReport(res.stdout);
    expect(report.findings[0].locations).toEqual([
      { kind: 'stdin', path: 'build.log', line: 2, column: 11, endLine: 2, endColumn: 50 },
    ]);
  });

  it('prints a readable text report naming rule, place and redacted secret', async () => {
    const token = githubToken(undefined, rng(10));
    const res = await runCli(['stdin', '--format', 'text'], { input: `x=${token}\n` });
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/CRITICAL\s+github-pat/);
    expect(res.stdout).toContain('stdin:1:3');
    expect(res.stdout).toContain('ghp_');
    expect(res.stdout).not.toContain(token.slice(8));
    expect(res.stdout).not.toContain('\x1b[');
  });

  it('exits 0 on clean input', async () => {
    expect((await runCli(['stdin', '--format', 'json'], { input: 'nothing to see\n' })).code).toBe(0);
  });
});
