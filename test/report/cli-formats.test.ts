// --format sarif|csv|html|jsonl through the built CLI, as a user runs it, on a real folder and a
// real git repository.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { readJsonl } from '../../src/report/jsonl.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { githubToken, rng, slackBotToken } from '../helpers/secrets.js';
import { ALICE, BOB, TestRepo, type Commit } from '../sources/git-repos.js';
import { validateSarif } from './sarif-schema.js';

describe('report formats from the CLI', () => {
  const random = rng(777);
  const token = githubToken(undefined, random);
  const slack = slackBotToken(random);
  let repo: TestRepo;
  let c1: Commit;
  let c2: Commit;

  beforeAll(() => {
    repo = TestRepo.init();
    c1 = repo.commit('add client', ALICE, { 'src/client.ts': `export const auth = '${token}';\n` });
    c2 = repo.commit('notify', BOB, { 'ops/notify sh,v1.sh': `#!/bin/sh\nSLACK=${slack}\nAUTH=${token}\n` });
  });

  async function run(args: string[]): Promise<{ code: number; text: string }> {
    const out = join(tempDir(), 'report');
    const r = await runCli([...args, '--no-progress', '--output', out]);
    expect(r.stderr).toBe('');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const text = readFileSync(out, 'utf8');
    for (const raw of [token, slack]) expect(text).not.toContain(raw);
    return { code: r.code, text };
  }

  test('git --format sarif: a valid log with one result per place, commits in properties', async () => {
    const { code, text } = await run(['git', repo.dir, '--format', 'sarif']);
    expect(code).toBe(1);
    const log = JSON.parse(text);
    expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
    const results = log.runs[0].results as { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[]; properties: { commit: string } }[];
    expect(results.map((r) => [r.locations[0].physicalLocation.artifactLocation.uri, r.properties.commit]).sort()).toEqual(
      [
        ['ops/notify%20sh%2Cv1.sh', c2.oid],
        ['ops/notify%20sh%2Cv1.sh', c2.oid],
        ['src/client.ts', c1.oid],
      ].sort(),
    );
    const ids = log.runs[0].tool.driver.rules.map((r: { id: string }) => r.id);
    for (const r of results) expect(ids).toContain(r.ruleId);
  });

  test('dir --format csv: a header and a row per place, the comma in a path quoted', async () => {
    const { code, text } = await run(['dir', repo.dir, '--format', 'csv']);
    expect(code).toBe(1);
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0].startsWith('ruleId,title,severity,')).toBe(true);
    expect(lines).toHaveLength(4);
    expect(lines.filter((l) => l.includes('"ops/notify sh,v1.sh"'))).toHaveLength(2);
  });

  test('git --format html: one page with the totals, the data and the exposure of the token', async () => {
    const { code, text } = await run(['git', repo.dir, '--format', 'html']);
    expect(code).toBe(1);
    expect(text.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(text).toMatch(/id="total-findings"><span class="n">2<\/span>/);
    expect(text).toMatch(/id="total-locations"><span class="n">3<\/span>/);
    const data = JSON.parse(/<script type="application\/json" id="leaksweep-data">([\s\S]*?)<\/script>/.exec(text)![1]);
    const exposures = data.findings.map((f: { exposure: { first: string; last: string; days: number } }) => f.exposure);
    expect(exposures).toContainEqual({ first: c1.date, last: c2.date, days: 1 });
  });

  test('dir --format jsonl: lines that read back as the JSON report', async () => {
    const { text } = await run(['dir', repo.dir, '--format', 'jsonl']);
    const json = JSON.parse((await runCli(['dir', repo.dir, '--no-progress', '--format', 'json'])).stdout);
    const back = readJsonl(text);
    expect(back.complete).toBe(true);
    const key = (fs: { fingerprint: string; locations: { path: string; line: number }[] }[]) =>
      fs.map((f) => [f.fingerprint, f.locations.map((l) => `${l.path}:${l.line}`).sort()]).sort();
    expect(key(back.findings)).toEqual(key(json.findings));
  });

  test('a clean folder: a valid empty SARIF log, a header-only CSV, an HTML page with zero findings', async () => {
    const clean = tempDir();
    writeFileSync(join(clean, 'README.md'), 'nothing to see\n');
    const sarif = await run(['dir', clean, '--format', 'sarif']);
    expect(sarif.code).toBe(0);
    expect(validateSarif(JSON.parse(sarif.text))).toBe(true);
    expect((await run(['dir', clean, '--format', 'csv'])).text.split('\r\n')).toHaveLength(2);
    expect((await run(['dir', clean, '--format', 'html'])).text).toContain('<title>leaksweep report: 0 findings</title>');
  });
});
