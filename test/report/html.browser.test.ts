// The HTML report in headless Chromium: it renders, filters, sorts, draws its timeline, makes no
// request and logs no error. A screenshot goes to test-output/html-report.png.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fingerprint } from '../../src/findings/fingerprint.js';
import { formatHtml } from '../../src/report/html.js';
import { reportView } from '../../src/report/view.js';
import type { Finding, Location, Report } from '../../src/types.js';
import { launchChromium } from '../helpers/browser.js';
import { BASE62, randomString, rng } from '../helpers/secrets.js';
import { tempDir } from '../helpers/temp-dir.js';
import { fixture, RULES } from './view-fixture.js';

const SCREENSHOT = resolve(import.meta.dirname, '../../test-output/html-report.png');

/** The fixture plus a few years of git history: enough rows to sort and a timeline worth seeing. */
function history(): { report: Report; raw: string[] } {
  const { report, raw } = fixture();
  const random = rng(2024);
  const authors = ['Alice Example', 'Bob Builder', 'Chandra Rao', 'Dmitri Ivanov'];
  const rules = [...RULES.values()];
  const extra: Finding[] = [];
  for (let i = 0; i < 12; i++) {
    const rule = rules[i % rules.length];
    const secret = randomString(random, BASE62, 32);
    raw.push(secret);
    const start = Date.UTC(2019, 0, 1) + Math.floor(random() * 5 * 365) * 86_400_000;
    const places: Location[] = [];
    for (let k = 0; k <= i % 4; k++) {
      places.push({
        kind: 'git',
        path: `services/svc-${i}/config-${k}.yaml`,
        line: 3 + k,
        column: 11,
        endLine: 3 + k,
        endColumn: 42,
        commit: randomString(random, '0123456789abcdef', 40),
        author: authors[(i + k) % authors.length],
        date: new Date(start + k * 47 * 86_400_000).toISOString(),
      });
    }
    extra.push({ ruleId: rule.id, title: rule.title, severity: rule.severity, confidence: rule.confidence, fingerprint: fingerprint(rule.id, secret), secret, locations: places });
  }
  return { report: { ...report, findings: [...report.findings, ...extra] }, raw };
}

describe('HTML report in Chromium', () => {
  const { report, raw } = history();
  const view = reportView(report, { showSecrets: false, rules: RULES });
  const total = view.findings.length;
  let browser: Browser | undefined;
  let unavailable = '';
  let page: Page;
  const problems: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    const launch = await launchChromium();
    if ('unavailable' in launch) {
      unavailable = launch.unavailable;
      return;
    }
    browser = launch.browser;
    const dir = tempDir();
    const file = join(dir, 'report.html');
    writeFileSync(file, formatHtml(view));
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
  });

  const rows = (): Promise<string[]> =>
    page.$$eval('#findings tbody tr.finding', (trs) => trs.map((tr) => tr.getAttribute('data-fingerprint') ?? ''));
  const column = (index: number): Promise<string[]> =>
    page.$$eval('#findings tbody tr.finding', (trs, i) => trs.map((tr) => tr.children[i].textContent ?? ''), index);

  test('renders the totals and every finding', async (ctx) => {
    if (!browser) return ctx.skip(unavailable);
    expect(await page.textContent('#total-findings .n')).toBe(String(total));
    const locations = view.findings.reduce((n, f) => n + f.locations.length, 0);
    expect(await page.textContent('#total-locations .n')).toBe(String(locations));
    expect(await page.textContent('#total-critical .n')).toBe(String(view.findings.filter((f) => f.severity === 'critical').length));
    expect(await page.$$eval('table[data-totals="source"] tbody tr', (trs) => trs.map((tr) => tr.children[0].textContent))).toEqual([
      'git',
      'artifact',
      'file',
      's3',
      'tfstate',
    ]);
    expect((await rows()).sort()).toEqual(view.findings.map((f) => f.fingerprint).sort());
    expect(await page.textContent('#shown')).toBe(`Showing ${total} of ${total} findings`);
  });

  test('typing in the filter narrows the rows; the severity and source filters too', async (ctx) => {
    if (!browser) return ctx.skip(unavailable);
    await page.fill('#filter', 'state-bucket');
    expect(await rows()).toEqual([view.findings[1].fingerprint]);
    await page.fill('#filter', 'chandra svc-');
    const chandra = view.findings.filter((f) => f.locations.some((l) => l.author === 'Chandra Rao')).map((f) => f.fingerprint);
    expect((await rows()).sort()).toEqual(chandra.sort());
    expect(chandra.length).toBeGreaterThan(0);
    expect(chandra.length).toBeLessThan(total);
    await page.fill('#filter', '');
    await page.selectOption('#severity', 'medium');
    expect((await rows()).sort()).toEqual(view.findings.filter((f) => f.severity === 'medium').map((f) => f.fingerprint).sort());
    await page.selectOption('#severity', '');
    await page.selectOption('#kind', 'tfstate');
    expect(await rows()).toEqual([view.findings[1].fingerprint]);
    await page.selectOption('#kind', '');
    expect(await rows()).toHaveLength(total);
  });

  test('clicking a header sorts by it, a second click reverses', async (ctx) => {
    if (!browser) return ctx.skip(unavailable);
    await page.click('th[data-sort="locations"]');
    const up = (await column(4)).map(Number);
    expect(up).toEqual([...up].sort((a, b) => a - b));
    expect(await page.getAttribute('th[data-sort="locations"]', 'aria-sort')).toBe('ascending');
    await page.click('th[data-sort="locations"]');
    const down = (await column(4)).map(Number);
    expect(down).toEqual([...up].sort((a, b) => b - a));
    expect(down[0]).toBeGreaterThan(down.at(-1)!);
    await page.click('th[data-sort="rule"]');
    const ids = await page.$$eval('#findings tbody tr.finding td:nth-child(2) code', (cs) => cs.map((c) => c.textContent ?? ''));
    expect(ids).toEqual([...ids].sort());
    await page.click('th[data-sort="introduced"]');
    const dates = (await column(5)).filter(Boolean);
    expect(dates).toEqual([...dates].sort());
    expect(dates.length).toBe(view.findings.length - 1); // the archive finding has no date
  });

  test('a row opens to show every location', async (ctx) => {
    if (!browser) return ctx.skip(unavailable);
    await page.click(`tr[data-fingerprint="${view.findings[0].fingerprint}"]`);
    const items = await page.$$eval('#findings tr.detail li', (lis) => lis.map((li) => li.textContent ?? ''));
    expect(items).toHaveLength(3);
    expect(items.join('\n')).toContain('commit 1f0a2b3c4d5e');
  });

  test('the timeline draws one bar per dated finding, with how long it stayed exposed', async (ctx) => {
    if (!browser) return ctx.skip(unavailable);
    const bars = await page.$$eval('#timeline svg rect title', (ts) => ts.map((t) => t.textContent ?? ''));
    expect(bars).toHaveLength(total - 1);
    expect(bars.some((t) => /introduced 2021-03-04, last seen 2022-01-10 \(311 days exposed\)/.test(t))).toBe(true);
    expect(bars.some((t) => /introduced 2023-02-01, last seen 2023-05-12 \(100 days exposed\)/.test(t))).toBe(true);
    // It follows the filter.
    await page.fill('#filter', 'state-bucket');
    expect(await page.$$eval('#timeline svg rect', (r) => r.length)).toBe(1);
    await page.fill('#filter', '');
  });

  test('input markup stays text, secrets stay redacted, and a screenshot is saved', async (ctx) => {
    if (!browser) return ctx.skip(unavailable);
    await page.fill('#filter', 'onerror');
    expect(await rows()).toEqual([view.findings[2].fingerprint]);
    expect(await page.$$('img')).toHaveLength(0);
    await page.fill('#filter', '');
    const text = await page.evaluate(() => document.documentElement.outerHTML);
    expect(raw.filter((s) => text.includes(s))).toEqual([]);
    mkdirSync(resolve(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await ctx.annotate(`screenshot: ${SCREENSHOT}`, { path: SCREENSHOT, contentType: 'image/png' });
  });

  test('a sweep-sized report: 5000 findings load, and the table keeps to its first 2000 rows until filtered', async (ctx) => {
    if (!browser) return ctx.skip(unavailable);
    const { report: big } = history();
    const one = big.findings.find((f) => f.locations.length === 4)!;
    big.findings = Array.from({ length: 5000 }, (_, i) => ({
      ...one,
      fingerprint: fingerprint(one.ruleId, `${one.secret}-${i}`),
      locations: one.locations.map((l) => ({ ...l, path: `repo-${i}/${l.path}` })),
    }));
    const file = join(tempDir(), 'big.html');
    const html = formatHtml(reportView(big, { showSecrets: false, rules: RULES }));
    writeFileSync(file, html);
    const bigPage = await browser.newPage();
    const errors: string[] = [];
    bigPage.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    bigPage.on('pageerror', (e) => errors.push(e.message));
    let started = Date.now();
    await bigPage.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const loadMs = Date.now() - started;
    expect(await bigPage.$$eval('#findings tbody tr.finding', (r) => r.length)).toBe(2000);
    expect(await bigPage.textContent('#shown')).toMatch(/^Showing 5000 of 5000 findings \(the first 2000/);
    started = Date.now();
    await bigPage.fill('#filter', 'repo-4321/');
    const filterMs = Date.now() - started;
    expect(await bigPage.$$eval('#findings tbody tr.finding', (r) => r.length)).toBe(1);
    expect(errors).toEqual([]);
    await bigPage.close();
    console.log(`HTML report, 5000 findings / ${5000 * one.locations.length} locations: ${(html.length / 1e6).toFixed(1)} MB, load ${loadMs} ms, filter ${filterMs} ms`);
  });

  test('no console error, no page error, no request beyond the file itself', async (ctx) => {
    if (!browser) return ctx.skip(unavailable);
    expect(problems).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
  });
});
