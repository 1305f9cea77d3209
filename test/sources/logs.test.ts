// CI logs: normalisation keeps lines exact, GitHub Actions run-log zips name the job/step
// file, and through the real pipeline a twice-base64-encoded token is found while a masked
// `***` line yields nothing.
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { scanChunk } from '../../src/engine/pipeline.js';
import { loadBuiltinRules } from '../../src/engine/rules.js';
import { locator } from '../../src/findings/locate.js';
import { normalizeLogLine } from '../../src/sources/logs/normalize.js';
import { logsSource } from '../../src/sources/logs/logs-source.js';
import type { Chunk, Location } from '../../src/types.js';
import { collect, gzipOf, locate, writeFile, zipOf } from '../helpers/archives.js';
import { tempDir } from '../helpers/cli.js';
import { awsAccessKeyId, githubToken } from '../helpers/secrets.js';

const ESC = '\x1b';
const TS = '2026-11-01T10:00:00.1234567Z ';

describe('normalizeLogLine', () => {
  it('strips timestamps, colours and GitHub markers, keeping the columns removed', () => {
    expect(normalizeLogLine(`${TS}##[group]Run npm test`, 7)).toEqual([{ text: 'Run npm test', line: 7, column: TS.length + 9 }]);
    expect(normalizeLogLine(`${TS}${ESC}[36;1mecho hi${ESC}[0m`, 1)).toEqual([{ text: 'echo hi', line: 1, column: TS.length + 7 }]);
    expect(normalizeLogLine(`${TS}##[debug]Evaluating: secrets.X`, 2)).toEqual([{ text: 'Evaluating: secrets.X', line: 2, column: TS.length + 9 }]);
    expect(normalizeLogLine(`${TS}##[endgroup]`, 3)).toEqual([]);
    expect(normalizeLogLine('plain line\r', 4)).toEqual([{ text: 'plain line', line: 4, column: 0 }]);
  });

  it('strips the job/step columns of `gh run view --log`, Jenkins timestamps and Azure ##[section] markers', () => {
    expect(normalizeLogLine(`build\tRun tests\t${TS}npm test`, 1)).toEqual([{ text: 'npm test', line: 1, column: 16 + TS.length }]);
    expect(normalizeLogLine('[2026-11-01T10:00:00.123Z] + make deploy', 2)).toEqual([{ text: '+ make deploy', line: 2, column: 27 }]);
    expect(normalizeLogLine(`${TS}##[section]Starting: Build`, 3)).toEqual([{ text: 'Starting: Build', line: 3, column: TS.length + 11 }]);
    expect(normalizeLogLine('key\tvalue\tnot a timestamp', 4)).toEqual([{ text: 'key\tvalue\tnot a timestamp', line: 4, column: 0 }]);
  });

  it('splits \\r redraws into lines of their own and drops GitLab section markers', () => {
    expect(normalizeLogLine('  10%\r  50%\r 100% done', 5)).toEqual([
      { text: '  10%', line: 5, column: 0 },
      { text: '  50%', line: 5, column: 6 },
      { text: ' 100% done', line: 5, column: 12 },
    ]);
    const gitlab = `section_start:1700000000:step_script[collapsed=true]\r${ESC}[0K${ESC}[32;1mExecuting "step_script"${ESC}[0;m`;
    expect(normalizeLogLine(gitlab, 9)).toEqual([{ text: 'Executing "step_script"', line: 9, column: 53 + 4 + 7 }]);
    expect(normalizeLogLine(`section_end:1700000001:step_script\r${ESC}[0K`, 10)).toEqual([]);
    expect(normalizeLogLine(`2026-11-01T10:00:00.123456Z 00O+ text`, 11)).toEqual([{ text: 'text', line: 11, column: 33 }]);
  });
});

/** Runs the real built-in rules and decoders over chunks, as the scanner does. */
function findings(chunks: Chunk[]): Array<Location & { secret: string; ruleId: string }> {
  const engine = new Engine(loadBuiltinRules());
  return chunks.flatMap((chunk) => {
    const at = locator(chunk);
    return scanChunk(chunk, engine).matches.map((m) => ({ ...at(m), secret: m.secret, ruleId: m.ruleId }));
  });
}

describe('logs source', () => {
  it('maps a token in a coloured, timestamped log back to its raw line and column', async () => {
    const token = githubToken();
    const log = [`${TS}##[group]Run ./deploy.sh`, `${TS}${ESC}[36;1m./deploy.sh${ESC}[0m`, `${TS}##[endgroup]`, `${TS}using token ${token}`, `${TS}done`].join('\n');
    const dir = tempDir();
    writeFile(dir, 'ci/build.log', log);
    const { chunks, errors } = await collect(logsSource(['ci'], { root: dir }));
    expect(errors).toEqual([]);
    expect(chunks[0].origin).toEqual({ kind: 'log', path: 'ci/build.log' });
    expect(chunks[0].text).toBe(`Run ./deploy.sh\n./deploy.sh\nusing token ${token}\ndone`);
    const at = locate(chunks, token)!;
    expect(at.line).toBe(4);
    expect(at.column).toBe(TS.length + 'using token '.length + 1);
    const found = findings(chunks).filter((f) => f.secret === token);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: 'ci/build.log', line: 4, column: at.column });
  });

  it('warns once per log that columns after an escape inside a line are approximate; lines stay exact', async () => {
    const token = githubToken();
    const log = [`${TS}${ESC}[36;1mcoloured at the start only${ESC}[0m`, `${TS}token ${ESC}[1m${token}${ESC}[0m`, `${TS}again ${ESC}[1mbold${ESC}[0m ${token}`].join('\n');
    const dir = tempDir();
    writeFile(dir, 'ci/colour.log', log);
    writeFile(dir, 'ci/plain.log', `${TS}${ESC}[32mall green${ESC}[0m\n`);
    const { chunks, errors, warnings } = await collect(logsSource(['ci'], { root: dir }));
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      { kind: 'log-columns', path: 'ci/colour.log', message: 'ANSI escapes removed inside 2 line(s), first at line 2: columns after them are approximate' },
    ]);
    expect(findings(chunks).filter((f) => f.secret === token).map((f) => f.line)).toEqual([2, 3]);
    expect(normalizeLogLine(`x${ESC}[1my`, 1)).toEqual([{ text: 'xy', line: 1, column: 0, shifted: true }]);
    expect(normalizeLogLine(`xy${ESC}[0m`, 1)).toEqual([{ text: 'xy', line: 1, column: 0 }]);
  });

  it('names the job and step files of a GitHub Actions run-log zip', async () => {
    const token = githubToken();
    const step = [`${TS}##[group]Run tests`, `${TS}export GH=${token}`, `${TS}##[endgroup]`].join('\n');
    const zip = zipOf({ '1_build.txt': `${TS}Job started\n${step}\n`, 'build/2_Run tests.txt': `${step}\n`, 'build/1_Set up job.txt': `${TS}Runner 2.300\n` });
    const dir = tempDir();
    writeFile(dir, 'logs_123.zip', zip);
    const { chunks, errors } = await collect(logsSource(['logs_123.zip'], { root: dir }));
    expect(errors).toEqual([]);
    const found = findings(chunks).filter((f) => f.secret === token);
    expect(found.map((f) => [f.path, f.line, f.archivePath])).toEqual([
      ['logs_123.zip!1_build.txt', 3, ['logs_123.zip', '1_build.txt']],
      ['logs_123.zip!build/2_Run tests.txt', 2, ['logs_123.zip', 'build/2_Run tests.txt']],
    ]);
    expect(found.every((f) => f.kind === 'log')).toBe(true);
  });

  it('finds a secret base64-encoded twice (the tj-actions leak) and a percent-encoded one; masked values yield nothing', async () => {
    const token = githubToken();
    const keyId = awsAccessKeyId();
    const twice = Buffer.from(Buffer.from(`{"GITHUB_TOKEN":"${token}"}`).toString('base64')).toString('base64');
    const percent = encodeURIComponent(`aws_access_key_id=${keyId}&x=1`);
    const log = [`${TS}Run tj-actions/changed-files`, `${TS}${twice}`, `${TS}GITHUB_TOKEN: ***`, `${TS}curl https://h/?q=${percent}`, `${TS}token=***`].join('\n');
    const dir = tempDir();
    writeFile(dir, 'run.log.gz', gzipOf(log));
    const { chunks } = await collect(logsSource(['run.log.gz'], { root: dir }));
    const found = findings(chunks);
    const leaked = found.find((f) => f.secret === token);
    expect(leaked).toMatchObject({ path: 'run.log.gz', line: 2, column: TS.length + 1 });
    expect(leaked!.encoding).toEqual(['base64', 'base64']);
    expect(found.find((f) => f.secret === keyId)).toMatchObject({ line: 4 });
    expect(found.filter((f) => f.line === 3 || f.line === 5)).toEqual([]);
  });

  it('keeps line numbers exact across chunks of a long log', async () => {
    const token = githubToken();
    const lines = Array.from({ length: 40_000 }, (_, i) => `${TS}${ESC}[32mstep ${i}${ESC}[0m ${'.'.repeat(30)}`);
    lines[33_332] = `${TS}TOKEN=${token}`;
    const dir = tempDir();
    writeFile(dir, 'long.log', lines.join('\r\n'));
    const { chunks } = await collect(logsSource(['long.log'], { root: dir }));
    expect(chunks.length).toBeGreaterThan(1);
    expect(locate(chunks, token)).toMatchObject({ line: 33_333, column: TS.length + 'TOKEN='.length + 1 });
  });

  it('scans what a truncated .log.gz holds before the cut, and reports the cut', async () => {
    const token = githubToken();
    const lines = Array.from({ length: 20_000 }, (_, i) => `${TS}step ${i} ${(i * 2654435761 % 2 ** 32).toString(36)}`);
    lines[1] = `${TS}TOKEN=${token}`;
    const gz = gzipOf(lines.join('\n'));
    const dir = tempDir();
    writeFile(dir, 'cut.log.gz', gz.subarray(0, Math.floor(gz.length * 0.6)));
    const { chunks, errors } = await collect(logsSource(['cut.log.gz'], { root: dir }));
    expect(locate(chunks, token)).toMatchObject({ line: 2 });
    expect(errors).toEqual([{ kind: 'corrupt', path: 'cut.log.gz', message: 'corrupt gzip: unexpected end of file' }]);
  });

  it('skips binary files and reports unreadable paths', async () => {
    const dir = tempDir();
    writeFile(dir, 'core.dump', Buffer.from([0, 1, 2, 3, 0, 0]));
    const { skips, errors } = await collect(logsSource(['core.dump', 'missing.log'], { root: dir }));
    expect(skips).toEqual([{ path: 'core.dump', reason: 'binary, not a log' }]);
    expect(errors).toEqual([{ kind: 'unreadable', path: 'missing.log', message: expect.stringContaining('ENOENT') }]);
  });
});
