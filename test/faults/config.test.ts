// Broken and hostile configuration and rules: a configuration error is a usage error (exit 2,
// one line naming the file); a hostile rule must neither hang the scan nor flood the report.
import { afterAll, describe, it } from 'vitest';
import { writeFile } from '../helpers/archives.js';
import { githubToken } from '../helpers/secrets.js';
import { caseDir, printSummary, runFaultCase, sized } from './contract.js';

afterAll(() => printSummary('config'));

function setup(label: string, config: string): { dir: string; secret: string; file: string } {
  const dir = caseDir(label);
  const secret = githubToken();
  writeFile(dir, 'ok.txt', `deploy_token = "${secret}"\n`);
  const file = writeFile(dir, 'conf.toml', config);
  return { dir, secret, file };
}

describe('config and rules', () => {
  it('invalid TOML: one line naming the file and the place', async () => {
    const { dir, file } = setup('toml', 'minConfidence = 0.5\n[allowlist\npaths = ["a"]\n');
    await runFaultCase({ name: 'invalid TOML', args: ['dir', dir, '--config', file], usage: /conf\.toml/ });
  });

  it('an unknown key: one line naming it', async () => {
    const { dir, file } = setup('unknown', 'minConfidense = 0.5\n');
    await runFaultCase({ name: 'unknown key', args: ['dir', dir, '--config', file], usage: /conf\.toml.*minConfidense|minConfidense.*conf\.toml/ });
  });

  it('a catastrophic-backtracking user rule runs in linear time (RE2)', async () => {
    const rule = `[[rules]]
id = "evil"
title = "evil"
severity = "low"
keywords = ["aaaa"]
regex = '''(a+)+$|(a|aa)+b|(x+x+)+y'''
`;
    const { dir, secret, file } = setup('redos', rule);
    // Every position of the bait is a keyword hit: the scan's own cost grows with it, RE2's stays linear.
    writeFile(dir, 'bait.txt', `${'a'.repeat(sized(200_000, 40_000))}!\n${'x'.repeat(sized(50_000, 10_000))}\n`);
    await runFaultCase({ name: 'catastrophic backtracking rule', args: ['dir', dir, '--config', file], intact: [secret], errors: [], warnings: 'any', timeoutMs: 60_000 });
  });

  it('a rule that matches the empty string is refused, naming it', async () => {
    const rule = `[[rules]]
id = "empty"
title = "empty"
severity = "low"
keywords = ["a"]
regex = '''(?P<secret>x*)'''
`;
    const { dir, file } = setup('empty', rule);
    writeFile(dir, 'many-a.txt', 'a '.repeat(100_000));
    await runFaultCase({ name: 'empty-match rule', args: ['dir', dir, '--config', file], usage: /conf\.toml.*"empty".*empty string/ });
  });
});
