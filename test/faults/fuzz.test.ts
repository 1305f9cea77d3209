// Property-based fuzzing (fast-check) of every parser the commands feed: mutations of a valid
// input (byte flips, truncation, splices of random bytes, duplicated and deleted slices, which
// duplicate fields in JSON and TOML) are written beside an intact file holding a secret, and the
// real CLI is held to the fault contract. Several mutants share one CLI run where the command
// takes many inputs; a configuration, baseline or report to merge gets a run of its own.
//
// LEAKSWEEP_FAULTS_RUNS (default 1) runs per parser, LEAKSWEEP_FAULTS_SEED the seed: `npm run
// faults` runs more. A failure prints fast-check's seed and path to replay it.
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { formatBaseline, baselineFrom } from '../../src/findings/baseline.js';
import { dockerSaveOf, gzipOf, tarOf, writeFile, zipOf, zipWithDescriptors } from '../helpers/archives.js';
import { githubToken, npmToken } from '../helpers/secrets.js';
import { stateV4 } from '../engine/tfstate-fixtures.js';
import { caseDir, printSummary, runFaultCase, summary, type ReadReport } from './contract.js';

const RUNS = Number(process.env.LEAKSWEEP_FAULTS_RUNS ?? 1);
const SEED = Number(process.env.LEAKSWEEP_FAULTS_SEED ?? 20261202);
/** Mutants per CLI run for commands that take many inputs. */
const BATCH = 6;

afterAll(() => printSummary('fuzz'));

type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'splice'; at: number; bytes: Uint8Array }
  | { kind: 'duplicate'; from: number; length: number; to: number }
  | { kind: 'delete'; at: number; length: number };

const position = fc.nat({ max: 0x7fffffff });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: position, byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('splice' as const), at: position, bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), from: position, length: fc.integer({ min: 1, max: 512 }), to: position }),
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 512 }) }),
);
/** One mutant: one to four mutations applied in turn. */
const mutations = fc.array(mutation, { minLength: 1, maxLength: 4 });

export function mutate(input: Buffer, list: Mutation[]): Buffer {
  let b = Buffer.from(input);
  for (const m of list) {
    if (b.length === 0) break;
    const at = (n: number) => n % b.length;
    switch (m.kind) {
      case 'flip':
        b[at(m.at)] = m.byte;
        break;
      case 'truncate':
        b = b.subarray(0, at(m.at));
        break;
      case 'splice':
        b = Buffer.concat([b.subarray(0, at(m.at)), m.bytes, b.subarray(at(m.at))]);
        break;
      case 'duplicate': {
        const from = at(m.from);
        b = Buffer.concat([b.subarray(0, at(m.to)), b.subarray(from, from + m.length), b.subarray(at(m.to))]);
        break;
      }
      case 'delete':
        b = Buffer.concat([b.subarray(0, at(m.at)), b.subarray(at(m.at) + m.length)]);
        break;
    }
  }
  return b;
}

const TS = '2026-11-01T10:00:00.1234567Z ';
const ESC = '\x1b';

function stateText(secret: string): string {
  return stateV4({
    resources: [
      { type: 'random_password', name: 'db', instances: [{ attributes: { result: secret, length: 24 } }] },
      { type: 'aws_instance', name: 'web', instances: [{ index_key: 0, attributes: { id: 'i-0abc', tags: { Name: 'web' } } }] },
    ],
    outputs: { url: { value: 'https://example.org' } },
  });
}

/** A parser under fuzz: a valid input (holding `hidden` secrets), its file name and the command. */
interface Target {
  name: string;
  command: 'artifact' | 'logs' | 'tfstate';
  file: (i: number) => string;
  valid: () => Promise<Buffer>;
}

const hidden = [githubToken(), npmToken()];
const lines = (prefix: string) => `${prefix}build started\n${prefix}token=${hidden[0]}\n${prefix}done ${hidden[1]}\n`;

const TARGETS: Target[] = [
  { name: 'state JSON', command: 'tfstate', file: (i) => `m${i}.tfstate`, valid: async () => Buffer.from(stateText(hidden[0])) },
  { name: 'zip', command: 'artifact', file: (i) => `m${i}.zip`, valid: async () => zipOf({ 'a.txt': lines(''), 'conf/app.properties': `k=${hidden[1]}\n` }) },
  { name: 'jar (data descriptors)', command: 'artifact', file: (i) => `m${i}.jar`, valid: async () => zipWithDescriptors({ 'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\n', 'app.properties': lines('') }) },
  { name: 'tar', command: 'artifact', file: (i) => `m${i}.tar`, valid: () => tarOf([['a.txt', lines('')], ['b/c.env', `X=${hidden[1]}\n`]]) },
  { name: 'tgz', command: 'artifact', file: (i) => `m${i}.tgz`, valid: async () => gzipOf(await tarOf([['a.txt', lines('')], ['inner.zip', zipOf({ 'x.txt': lines('') })]])) },
  { name: 'gzip', command: 'artifact', file: (i) => `m${i}.txt.gz`, valid: async () => gzipOf(lines('')) },
  {
    name: 'OCI / docker save',
    command: 'artifact',
    file: (i) => `m${i}.image.tar`,
    valid: async () => dockerSaveOf({ config: { Env: [`TOKEN=${hidden[0]}`] }, history: [] }, [await tarOf([['app/.env', `K=${hidden[1]}\n`]])], true),
  },
  {
    name: 'GitHub Actions log zip',
    command: 'logs',
    file: (i) => `m${i}.logs.zip`,
    valid: async () => zipOf({ '1_build.txt': lines(TS), 'build/2_Run tests.txt': `${TS}##[group]Run\n${TS}${ESC}[36mtoken=${hidden[0]}${ESC}[0m\n${TS}##[endgroup]\n` }),
  },
  {
    name: 'GitLab job log',
    command: 'logs',
    file: (i) => `m${i}.log`,
    valid: async () => Buffer.from(`${ESC}[0Ksection_start:1700000000:build\r${ESC}[0K${ESC}[36;1mBuild${ESC}[0;m\n${lines('')}  10%\r 100%\n${ESC}[0Ksection_end:1700000001:build\r${ESC}[0K\n`),
  },
];

describe('fuzzed inputs, many per run', () => {
  TARGETS.forEach((target, index) => {
    it(`${target.name}`, async () => {
      const valid = await target.valid();
      await fc.assert(
        fc.asyncProperty(fc.array(mutations, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
          const dir = caseDir('fuzz');
          const secret = githubToken();
          writeFile(dir, target.command === 'tfstate' ? 'ok.tfstate' : 'ok.txt', target.command === 'tfstate' ? stateText(secret) : `deploy_token = "${secret}"\n`);
          batch.forEach((list, i) => writeFile(dir, target.file(i), mutate(valid, list)));
          summary.fuzzInputs += batch.length;
          await runFaultCase({ name: `fuzz ${target.name}`, args: [target.command, dir], intact: [secret], hidden, errors: 'any', warnings: 'any', timeoutMs: 60_000 });
        }),
        { numRuns: RUNS, seed: SEED + index, endOnFailure: true },
      );
    }, 120_000 * RUNS);
  });
});

const CONFIG = `minConfidence = 0.2

[extend]
useDefault = true
disable = ["generic-secret-assignment"]

[allowlist]
paths = ["vendor/**"]
regexes = ['''^sk_test_''']
stopwords = ["sandbox"]

[[allowlists]]
rules = ["generic-password-assignment"]
condition = "and"
paths = ["docs/**"]

[[rules]]
id = "acme-api-key"
title = "ACME API key"
severity = "high"
keywords = ["acme_"]
regex = '''\\b(?P<secret>acme_[A-Za-z0-9]{32})\\b'''
entropy = 3.0
`;

describe('fuzzed configuration, baselines and reports, one per run', () => {
  let report: string;
  let reportFingerprint: string;
  beforeAll(async () => {
    // A real report to fold: a scan of one secret.
    const dir = caseDir('fuzz-report');
    writeFile(dir, 'src/a.txt', `deploy_token = "${githubToken()}"\n`);
    const run = await runFaultCase({ name: 'report for merge', args: ['dir', join(dir, 'src')], toStdout: true, errors: [] });
    report = run.stdout;
    reportFingerprint = (JSON.parse(report) as ReadReport).findings[0].fingerprint;
  });

  const one = (name: string, index: number, body: () => string, runCase: (dir: string, mutant: Buffer, secret: string) => Promise<unknown>) =>
    it(name, async () => {
      const valid = Buffer.from(body());
      await fc.assert(
        fc.asyncProperty(mutations, async (list) => {
          const dir = caseDir('fuzz-one');
          const secret = githubToken();
          writeFile(dir, 'src/ok.txt', `deploy_token = "${secret}"\n`);
          summary.fuzzInputs++;
          await runCase(dir, mutate(valid, list), secret);
        }),
        { numRuns: RUNS * 2, seed: SEED + 100 + index, endOnFailure: true },
      );
    }, 60_000 * RUNS * 2);

  // A broken configuration is a usage error naming it; one that still parses must not crash the scan.
  one('TOML config and user rules', 0, () => CONFIG, async (dir, mutant, secret) => {
    const file = writeFile(dir, 'conf.toml', mutant);
    await runFaultCase({ name: 'fuzz config', args: ['dir', join(dir, 'src'), '--config', file], hidden: [secret], usageOr: /conf\.toml/, errors: 'any', warnings: 'any' });
  });

  one('baseline', 1, () => formatBaseline(baselineFrom([{ fingerprint: 'a'.repeat(64), ruleId: 'github-pat-classic' }])), async (dir, mutant, secret) => {
    const file = writeFile(dir, 'base.json', mutant);
    await runFaultCase({ name: 'fuzz baseline', args: ['dir', join(dir, 'src'), '--baseline', file], intact: [secret], usageOr: /base\.json/, errors: 'any', warnings: 'any' });
  });

  one('reports fed to merge (JSON)', 2, () => report, async (dir, mutant) => {
    const good = writeFile(dir, 'good.json', report);
    const file = writeFile(dir, 'shard.json', mutant);
    await runFaultCase({ name: 'fuzz merge', args: ['merge', good, file], intactFingerprints: [reportFingerprint], usageOr: /shard\.json/, errors: 'any', warnings: 'any' });
  });

  one('reports fed to merge (JSONL)', 3, () => jsonlOf(report), async (dir, mutant) => {
    const good = writeFile(dir, 'good.jsonl', jsonlOf(report));
    const file = writeFile(dir, 'shard.jsonl', mutant);
    await runFaultCase({ name: 'fuzz merge jsonl', args: ['merge', good, file], intactFingerprints: [reportFingerprint], usageOr: /shard\.jsonl/, errors: 'any', warnings: 'any' });
  });
});

/** The JSONL form of a JSON report (finding lines and a summary), as a shard writes it. */
function jsonlOf(json: string): string {
  const r = JSON.parse(json) as ReadReport & { tool: unknown; stats: unknown };
  const out = r.findings.map((f) => JSON.stringify({ type: 'finding', ...f }));
  out.push(JSON.stringify({ type: 'summary', tool: r.tool, findings: r.findings.length, locations: 1, errors: 0, warnings: 0, stats: r.stats }));
  return out.join('\n') + '\n';
}
