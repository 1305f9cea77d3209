// The GitHub Action's script, run as the runner runs it: real repository, real outputs files.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/cli.js';
import { githubToken, rng } from './helpers/secrets.js';

const ROOT = resolve(import.meta.dirname, '..');
const SCRIPT = join(ROOT, 'action', 'run.sh');

function repoWith(content: string): string {
  const dir = tempDir();
  const env = { ...process.env, GIT_AUTHOR_NAME: 'Bo', GIT_AUTHOR_EMAIL: 'bo@example.org', GIT_COMMITTER_NAME: 'Bo', GIT_COMMITTER_EMAIL: 'bo@example.org' };
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  writeFileSync(join(dir, 'config.env'), content);
  execFileSync('git', ['add', '.'], { cwd: dir, env });
  execFileSync('git', ['commit', '-qm', 'config'], { cwd: dir, env });
  return dir;
}

function runAction(workspace: string, env: Record<string, string> = {}) {
  // Outside the workspace, which the action scans.
  const output = join(tempDir(), 'github-output');
  const summary = `${output}.md`;
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const res = spawnSync('bash', [SCRIPT], {
    cwd: workspace,
    encoding: 'utf8',
    env: { ...process.env, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, LEAKSWEEP_SKIP_INSTALL: '1', ...env },
  });
  const outputs = Object.fromEntries(
    readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('=') as [string, string]),
  );
  return { code: res.status, stderr: res.stderr, outputs, summary: readFileSync(summary, 'utf8') };
}

describe('GitHub Action script', () => {
  it('scans the history, writes SARIF, and reports exit code and count as outputs', () => {
    const token = githubToken(undefined, rng(606));
    const dir = repoWith(`TOKEN=${token}\n`);
    const res = runAction(dir);
    expect(res.code).toBe(0);
    expect(res.outputs).toMatchObject({ 'exit-code': '1', 'sarif-file': 'leaksweep.sarif' });
    expect(Number(res.outputs.findings)).toBeGreaterThanOrEqual(1);
    const sarifText = readFileSync(join(dir, 'leaksweep.sarif'), 'utf8');
    expect(sarifText).not.toContain(token);
    const sarif = JSON.parse(sarifText) as { version: string; runs: { results: { ruleId: string }[] }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results[0].ruleId).toMatch(/github/);
    expect(res.summary).toContain('finding(s)');
  });

  it('passes extra arguments and reports a clean scan', () => {
    const dir = repoWith('NOTHING=here\n');
    const res = runAction(dir, { LEAKSWEEP_ARGS: '--max-commits 5 --jobs 1' });
    expect(res.code).toBe(0);
    expect(res.outputs).toMatchObject({ 'exit-code': '0', findings: '0' });
    expect(res.summary).toContain('No secrets found');
  });

  it('fails on a usage error with leaksweep\'s message', () => {
    const dir = repoWith('x\n');
    const res = runAction(dir, { LEAKSWEEP_COMMAND: 'nonsense' });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('unknown command');
    expect(res.outputs['exit-code']).toBe('2');
  });

  it('action.yml runs this script and uploads its SARIF', () => {
    const yml = readFileSync(join(ROOT, 'action.yml'), 'utf8');
    expect(yml).toContain('using: composite');
    expect(yml).toContain('action/run.sh');
    expect(yml).toContain('github/codeql-action/upload-sarif');
  });
});
