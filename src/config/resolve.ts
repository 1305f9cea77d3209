// Which configuration a scan runs with: --config FILE, else `.leaksweep.toml` in the scanned
// root, else a gitleaks config there (`.gitleaks.toml`), so gitleaks users switch with nothing
// to rewrite. Also the suppression files beside it.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Re2RegexEngine } from '../engine/regex.js';
import { createSuppressor, parseGitleaksIgnore, parseIgnoreFile, readOptional, type Suppressor } from '../findings/suppress.js';
import { CONFIG_FILE, ConfigError, EMPTY_CONFIG, parseConfig, type Config } from './config.js';
import { importGitleaksConfig } from './gitleaks.js';

export const GITLEAKS_CONFIG_FILE = '.gitleaks.toml';
export const IGNORE_FILE = '.leaksweepignore';
export const GITLEAKS_IGNORE_FILE = '.gitleaksignore';

function readConfigFile(file: string): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${file}: ${(err as Error).message}`);
  }
  return /gitleaks/i.test(basename(file)) ? importGitleaksConfig(text, file).config : parseConfig(text, file);
}

/** User regexes are checked now, so a bad one is a configuration error, not a failed scan. */
function checkRegexes(config: Config): Config {
  const check = (pattern: string, what: string) => {
    try {
      new Re2RegexEngine(pattern).compile();
    } catch (err) {
      throw new ConfigError(`${config.file}: ${what}: invalid regex: ${(err as Error).message}`);
    }
  };
  for (const rule of config.rules) {
    check(rule.regex, `rule "${rule.id}"`);
    if (rule.path) check(rule.path, `rule "${rule.id}" path`);
    rule.allow.forEach((p) => check(p, `rule "${rule.id}" allow`));
  }
  config.allowlists.forEach((a, i) => [...(a.regexes ?? []), ...(a.lines ?? []), ...(a.pathRegexes ?? [])].forEach((p) => check(p, `allowlist ${i + 1}`)));
  return config;
}

export function resolveConfig(explicit: string | undefined, root: string): Config {
  if (explicit) return checkRegexes(readConfigFile(explicit));
  for (const name of [CONFIG_FILE, GITLEAKS_CONFIG_FILE]) {
    const file = join(root, name);
    if (existsSync(file)) return checkRegexes(readConfigFile(file));
  }
  return EMPTY_CONFIG;
}

/** `.leaksweepignore` fingerprints and `.gitleaksignore` entries in the scanned root. */
export function rootSuppressor(root: string): Suppressor {
  return createSuppressor({
    fingerprints: parseIgnoreFile(readOptional(join(root, IGNORE_FILE))),
    gitleaksIgnore: parseGitleaksIgnore(readOptional(join(root, GITLEAKS_IGNORE_FILE))),
  });
}
