import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { escapeHtml, exposureOf, formatHtml, jsonForScript, totalsOf } from '../../src/report/html.js';
import { FILE_PLACE, fixture, GIT_FIRST, GIT_LATER, leakedSecrets, S3_NEW, S3_OLD, TFSTATE_PLACE } from './view-fixture.js';

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The page's JSON block, parsed as the browser will. */
function embedded(html: string): { findings: { fingerprint: string; kinds: string[]; exposure: unknown; secret: string }[] } {
  const m = /<script type="application\/json" id="leaksweep-data">([\s\S]*?)<\/script>/.exec(html);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]);
}

describe('HTML report (as text)', () => {
  const { view, raw } = fixture();
  const html = formatHtml(view);

  test('exposure: git from the first commit to the last that held it, state versions by lastModified', () => {
    expect(exposureOf([GIT_LATER, GIT_FIRST, FILE_PLACE])).toEqual({ first: GIT_FIRST.date, last: GIT_LATER.date, days: 311 });
    expect(exposureOf([TFSTATE_PLACE, S3_NEW, S3_OLD])).toEqual({ first: S3_OLD.lastModified, last: S3_NEW.lastModified, days: 100 });
    expect(exposureOf([GIT_FIRST])).toEqual({ first: GIT_FIRST.date, last: GIT_FIRST.date, days: 0 });
    expect(exposureOf([FILE_PLACE, TFSTATE_PLACE])).toBeUndefined();
    expect(exposureOf([{ ...FILE_PLACE, date: 'not a date' }])).toBeUndefined();
  });

  test('totals by severity, rule and source kind count findings and locations', () => {
    const totals = totalsOf(view.findings);
    expect(totals.findings).toBe(3);
    expect(totals.locations).toBe(7);
    expect(totals.bySeverity).toEqual([
      { key: 'critical', findings: 1, locations: 3 },
      { key: 'high', findings: 1, locations: 3 },
      { key: 'medium', findings: 1, locations: 1 },
    ]);
    expect(totals.byKind).toEqual([
      { key: 'artifact', findings: 1, locations: 1 },
      { key: 'file', findings: 1, locations: 1 },
      { key: 'git', findings: 1, locations: 2 },
      { key: 's3', findings: 1, locations: 2 },
      { key: 'tfstate', findings: 1, locations: 1 },
    ]);
    expect(totals.byRule.map((c) => c.key)).toEqual(['aws-secret-access-key', 'generic-password', 'github-pat']);
  });

  test('the data block cannot close its script early, and reads back as the view plus kinds and exposure', () => {
    const block = /<script type="application\/json" id="leaksweep-data">([\s\S]*?)<\/script>/.exec(html)![1];
    expect(block).not.toContain('<');
    expect(jsonForScript({ a: '</script><!--\u2028' })).toBe('{"a":"\\u003c/script>\\u003c!--\\u2028"}');
    const data = embedded(html);
    expect(data.findings.map((f) => f.fingerprint)).toEqual(view.findings.map((f) => f.fingerprint));
    expect(data.findings[0]).toMatchObject({ kinds: ['file', 'git'], exposure: { days: 311 } });
    expect(data.findings[2].exposure).toBeNull();
  });

  test('self-contained: no external reference, and a CSP that pins the inline style and script by hash', () => {
    // The SVG namespace is a name, never fetched.
    const markup = html.replace(/<script type="application\/json"[\s\S]*?<\/script>/, '').replaceAll("'http://www.w3.org/2000/svg'", '');
    expect(markup).not.toMatch(/\b(src|href)\s*=/i);
    expect(markup).not.toMatch(/url\(|@import|https?:\/\//i);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1];
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`script-src ${sha256(script)}`);
    expect(csp).toContain(`style-src ${sha256(style)}`);
  });

  test('markup from the scanned input is escaped; secrets are redacted', () => {
    expect(html).not.toContain('<img');
    expect(html).toContain('<code>secrets/locked.env</code>: EACCES: permission denied');
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(leakedSecrets(html, raw)).toEqual([]);
  });

  test('a baseline: how many it set aside, and its stale entries', () => {
    const page = formatHtml({
      ...view,
      baseline: { file: 'base<line>.json', suppressed: 2, stale: [{ fingerprint: 'a'.repeat(64), ruleId: 'github-pat' }] },
    });
    expect(page).toContain('Baseline <code>base&lt;line&gt;.json</code> set aside 2 known findings. 1 of its entries was not seen by this scan.');
    expect(page).toContain(`<li><code>github-pat</code> <code>${'a'.repeat(64)}</code></li>`);
    expect(html).not.toContain('id="baseline"');
  });

  test('errors and warnings are listed apart', () => {
    expect(html).toContain('<h2>Inputs that could not be read (1)</h2><ul class="errors"><li><code>secrets/locked.env</code>');
    expect(html).toContain('<h2>Inputs scanned in a degraded way (1)</h2><ul class="warnings"><li><code>envs/half.tfstate</code>: not a complete JSON state');
    expect(formatHtml({ ...view, warnings: [] })).not.toContain('class="warnings"');
  });

  test('totals are in the page without scripts', () => {
    expect(html).toMatch(/id="total-findings"><span class="n">3<\/span>findings/);
    expect(html).toMatch(/id="total-locations"><span class="n">7<\/span>locations/);
    expect(html).toContain('<tr><td>github-pat</td><td class="num">1</td><td class="num">3</td></tr>');
  });
});
