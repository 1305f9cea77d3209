// Headless Chromium for tests that must see a page as a user would (the HTML report).
// Debian's chromium at /usr/bin/chromium, driven by playwright-core: playwright's own browser
// download cannot reach its host from here. In CI (CI=true) a missing or broken browser is a
// failure, not a skip: the test that proves the page works must not silently vanish there.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const INSTALL_SCRIPT = resolve(import.meta.dirname, '../../scripts/install-chromium.sh');

export type Launch = { browser: Browser } | { unavailable: string };

/** Starts the browser, or says why it cannot; throws instead when running in CI. */
export async function launchChromium(): Promise<Launch> {
  const inCi = process.env.CI === 'true';
  if (!existsSync(CHROMIUM_PATH) && inCi) {
    // .ci/run installs it first; this is the fallback when a run starts without it.
    const r = spawnSync('bash', [INSTALL_SCRIPT], { encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'] });
    if (r.status !== 0) throw new Error(`CI=true and chromium could not be installed by ${INSTALL_SCRIPT}: ${r.stderr.slice(-2000)}`);
  }
  if (!existsSync(CHROMIUM_PATH)) return { unavailable: `no ${CHROMIUM_PATH}: run scripts/install-chromium.sh to run the browser tests` };
  try {
    return { browser: await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 }) };
  } catch (err) {
    if (inCi) throw new Error(`CI=true and chromium at ${CHROMIUM_PATH} did not start: ${(err as Error).message}`);
    return { unavailable: `chromium at ${CHROMIUM_PATH} did not start: ${(err as Error).message}` };
  }
}
