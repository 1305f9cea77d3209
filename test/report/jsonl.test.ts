import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ruleCatalog } from '../../src/engine/analyzer-registry.js';
import { loadBuiltinRules } from '../../src/engine/rules.js';
import { FindingStore } from '../../src/findings/store.js';
import { formatJsonl, JsonlError, JsonlStream, readJsonl, type JsonlRecord } from '../../src/report/jsonl.js';
import { reportView } from '../../src/report/view.js';
import { runScan } from '../../src/scanner/run.js';
import { DirSource } from '../../src/sources/fs.js';
import { githubToken, rng } from '../helpers/secrets.js';
import { tempDir } from '../helpers/temp-dir.js';
import { fixture, GIT_FIRST, GIT_LATER, FILE_PLACE, leakedSecrets, RULES } from './view-fixture.js';

function records(text: string): JsonlRecord[] {
  expect(text.endsWith('\n')).toBe(true);
  return text.trimEnd().split('\n').map((l) => JSON.parse(l) as JsonlRecord);
}

describe('JSONL report', () => {
  const { report, view, raw } = fixture();

  test('one finding per line, then the errors, the warnings and a summary line', () => {
    const text = formatJsonl(view);
    const lines = records(text);
    expect(lines.map((r) => r.type)).toEqual(['finding', 'finding', 'finding', 'error', 'warning', 'summary']);
    expect(lines[0]).toEqual({ type: 'finding', ...view.findings[0] });
    expect(lines[3]).toEqual({ type: 'error', ...view.errors[0] });
    expect(lines[4]).toEqual({ type: 'warning', ...view.warnings[0] });
    expect(lines[5]).toEqual({ type: 'summary', tool: view.tool, findings: 3, locations: 7, errors: 1, warnings: 1, stats: view.stats });
    expect(leakedSecrets(text, raw)).toEqual([]);
  });

  test('readJsonl gives back the report', () => {
    const back = readJsonl(formatJsonl(view));
    expect(back).toEqual({ tool: view.tool, findings: view.findings, errors: view.errors, warnings: view.warnings, stats: view.stats, complete: true });
  });

  test('the stream writes a finding at first sight and later places as lines of the same fingerprint', () => {
    const out: string[] = [];
    const stream = new JsonlStream((t) => out.push(t), { showSecrets: false, rules: RULES });
    const [pat] = report.findings;
    const growing = { ...pat, locations: [GIT_FIRST] };
    stream.found(growing);
    expect(out).toHaveLength(1);
    expect(records(out[0])[0]).toMatchObject({ type: 'finding', fingerprint: pat.fingerprint, secret: view.findings[0].secret, locations: [GIT_FIRST] });

    stream.found(growing); // nothing new: nothing written
    expect(out).toHaveLength(1);

    growing.locations.push(FILE_PLACE, GIT_LATER);
    growing.locations.sort((a, b) => a.path.localeCompare(b.path)); // the store sorts in place at the end
    stream.end({ ...report, findings: [growing, ...report.findings.slice(1)] });
    const lines = records(out.join(''));
    expect(lines[1]).toMatchObject({ type: 'finding', fingerprint: pat.fingerprint, locations: [GIT_LATER, FILE_PLACE] });
    expect(lines.at(-1)).toMatchObject({ type: 'summary', findings: 3, locations: 7 });
    expect(leakedSecrets(out.join(''), raw)).toEqual([]);

    // United by fingerprint, the stream is the report.
    const back = readJsonl(out.join(''));
    expect(back.complete).toBe(true);
    expect(back.findings.map((f) => [f.fingerprint, f.locations.length])).toEqual(view.findings.map((f) => [f.fingerprint, f.locations.length]));
    expect(new Set(back.findings[0].locations)).toEqual(new Set(view.findings[0].locations));
  });

  test('with the real finding store: first sight, growth, and the final in-place sort write each place once', () => {
    const store = new FindingStore(RULES);
    const out: string[] = [];
    const stream = new JsonlStream((t) => out.push(t), { showSecrets: false, rules: RULES });
    const secret = raw[0];
    for (const location of [GIT_LATER, GIT_FIRST, FILE_PLACE, GIT_FIRST]) {
      const added = store.add({ ruleId: 'github-pat', secret, location });
      if (added?.first) stream.found(added.finding);
    }
    const findings = store.sorted();
    stream.end({ ...report, findings });
    const lines = records(out.join('')).filter((r) => r.type === 'finding');
    expect(lines.map((r) => (r.type === 'finding' ? r.locations.length : 0))).toEqual([1, 2]);
    expect(readJsonl(out.join('')).findings[0].locations).toHaveLength(3);
  });

  test('a real scan streamed through onFinding reads back as the same report as the one-shot format', async () => {
    const dir = tempDir();
    const random = rng(99);
    const shared = githubToken(undefined, random);
    const other = githubToken(undefined, random);
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src/a.js'), `const token = '${shared}';\n`);
    writeFileSync(join(dir, 'src/b.js'), `// copy\nconst again = '${shared}';\nconst more = '${other}';\n`);
    writeFileSync(join(dir, 'c.env'), `GH_TOKEN=${shared}\n`);
    const rules = loadBuiltinRules();
    const options = { showSecrets: false, rules: ruleCatalog(rules) };
    const out: string[] = [];
    const stream = new JsonlStream((t) => out.push(t), options);
    let linesBeforeEnd = 0;
    const final = await runScan([new DirSource({ paths: [dir] })], {
      rules,
      jobs: 1,
      onFinding: (f) => {
        stream.found(f);
        linesBeforeEnd = out.length;
      },
    });
    stream.end(final);
    expect(final.findings).toHaveLength(2);
    expect(linesBeforeEnd).toBe(2); // both findings were out before the scan ended
    const streamed = readJsonl(out.join(''));
    const oneShot = readJsonl(formatJsonl(reportView(final, options)));
    const byPlace = (r: typeof streamed) =>
      r.findings.map((f) => ({ ...f, locations: [...f.locations].sort((a, b) => a.path.localeCompare(b.path)) })).sort((a, b) => a.fingerprint.localeCompare(b.fingerprint));
    expect(byPlace(streamed)).toEqual(byPlace(oneShot));
    expect(streamed.findings.find((f) => f.locations.length === 3)?.locations.map((l) => l.path).sort()).toEqual(['c.env', 'src/a.js', 'src/b.js']);
    expect(leakedSecrets(out.join(''), [shared, other])).toEqual([]);
  });

  test('the summary carries what a baseline set aside and its stale entries', () => {
    const baseline = { file: '.leaksweep-baseline.json', suppressed: 4, stale: [{ fingerprint: 'f'.repeat(64), ruleId: 'github-pat' }] };
    const text = formatJsonl({ ...view, baseline });
    expect(records(text).at(-1)).toMatchObject({ type: 'summary', baseline });
    expect(readJsonl(text).baseline).toEqual(baseline);
    expect(records(formatJsonl(view)).at(-1)).not.toHaveProperty('baseline');
  });

  test('a file cut short is read as incomplete; a broken line names its number', () => {
    const text = formatJsonl(view);
    const cut = text.split('\n').slice(0, 2).join('\n');
    expect(readJsonl(cut)).toMatchObject({ complete: false, findings: [view.findings[0], view.findings[1]] });
    expect(() => readJsonl(`${text}{"type":`)).toThrow(JsonlError);
    expect(() => readJsonl(`${text}{"type":`)).toThrow(/line 7/);
    expect(() => readJsonl('{"type":"other"}\n')).toThrow(/unknown record type "other"/);
  });
});
