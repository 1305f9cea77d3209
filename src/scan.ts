// A whole scan as the library and the CLI run it: configuration, rules, suppressions and the
// baseline around the scanner, and `runSources`, which exposes a scan as an async iterable of
// findings plus the final report. Every command and every `scanX` function comes through here.
import { ruleCatalog } from './engine/analyzer-registry.js';
import { cacheKey } from './cache/cache-key.js';
import { ScanCache } from './cache/scan-cache.js';
import { withCacheWarnings } from './cache/warnings.js';
import { loadBuiltinRules } from './engine/rules.js';
import { effectiveRules } from './config/config.js';
import { resolveConfig, rootSuppressor } from './config/resolve.js';
import { readBaseline } from './findings/baseline.js';
import { runScan, type ScanProgress } from './scanner/run.js';
import { parseShard, type Shard } from './scanner/shard.js';
import type { Source } from './sources/source.js';
import type { Finding, Location, Report, Rule } from './types.js';

export interface ScanSettings {
  /** Where `.leaksweep.toml` (or `.gitleaks.toml`), `.leaksweepignore` and `.gitleaksignore` are read. */
  root: string;
  /** A config file to use instead (a file named *gitleaks*.toml is read as a gitleaks config). */
  config?: string;
  /** Findings whose fingerprint is in this baseline file are not reported. */
  baseline?: string;
  /** List baseline entries this scan did not see. */
  reportStale?: boolean;
  /** `K/N` or { index, count }: scan only that part of the input. */
  shard?: Shard | string;
  /** Worker threads (default: CPUs); 1 keeps everything on the calling thread. */
  jobs?: number;
  maxFileSize?: number;
  /** The scan cache file: units it holds are not read again, what is read is added to it. */
  cache?: string;
  /** With `cache`: report only findings no earlier sweep with this cache reported. */
  newOnly?: boolean;
  /** Source options that change what a unit yields (archive limits...): part of the cache key. */
  cacheScope?: unknown;
}

export interface ScanHooks {
  onProgress?: (progress: ScanProgress) => void;
  /** Each finding when first seen (not in the baseline); its locations may still grow. */
  onFinding?: (finding: Finding) => void;
  /** New places of a finding (not in the baseline), once per finding per file or chunk. */
  onLocations?: (finding: Finding, locations: Location[]) => void;
  /** Off: the report's findings keep no locations (they went to onLocations), so memory stays flat. */
  retainLocations?: boolean;
}

/** A setting that makes no sense (a usage error for the CLI). */
export class CacheUsageError extends Error {}

export interface PreparedScan {
  rules: Rule[];
  run(sources: Source[], hooks?: ScanHooks): Promise<Report>;
}

/** Loads config, rules and suppressions; throws ConfigError/RuleError/BaselineError on bad input. */
export function prepareScan(settings: ScanSettings): PreparedScan {
  const config = resolveConfig(settings.config, settings.root);
  const rules = effectiveRules(loadBuiltinRules(), config);
  const baseline = settings.baseline ? readBaseline(settings.baseline) : undefined;
  const known = new Set(baseline?.fingerprints.map((e) => e.fingerprint));
  const shard = typeof settings.shard === 'string' ? parseShard(settings.shard) : settings.shard;
  if (settings.newOnly && !settings.cache) throw new CacheUsageError('--new-only needs --cache FILE');
  const run = async (sources: Source[], hooks: ScanHooks = {}): Promise<Report> => {
    // Opened when the scan starts: the cache file is read then, and written when it ends.
    const cache = settings.cache
      ? new ScanCache(
          settings.cache,
          cacheKey({ rules, allowlists: config.allowlists, maxFileSize: settings.maxFileSize, shard, scope: settings.cacheScope }),
          ruleCatalog(rules),
        )
      : undefined;
    // A finding an earlier sweep reported is "known" to --new-only, like one in the baseline.
    const isKnown = (f: Finding): boolean => known.has(f.fingerprint) || (settings.newOnly === true && cache?.firstSeen(f.fingerprint) !== undefined);
    const { onFinding, onLocations } = hooks;
    const scanned = await runScan(sources, {
      rules,
      allowlists: config.allowlists,
      suppress: rootSuppressor(settings.root),
      shard,
      jobs: settings.jobs,
      maxFileSize: settings.maxFileSize,
      onProgress: hooks.onProgress,
      onFinding: onFinding && ((f) => isKnown(f) || onFinding(f)),
      onLocations: onLocations && ((f, l) => isKnown(f) || onLocations(f, l)),
      retainLocations: hooks.retainLocations,
      cache,
    });
    let report = scanned;
    if (cache) {
      cache.save(scanned.findings.map((f) => f.fingerprint));
      report = withCacheWarnings(scanned, cache.warnings);
      if (settings.newOnly) {
        const fresh = report.findings.filter((f) => f.firstSeen === cache.now);
        report = { ...report, findings: fresh, stats: { ...report.stats, seenBefore: report.findings.length - fresh.length } };
      }
    }
    if (!baseline || !settings.baseline) return report;
    const seen = new Set(report.findings.map((f) => f.fingerprint));
    const fresh = report.findings.filter((f) => !known.has(f.fingerprint));
    return {
      ...report,
      findings: fresh,
      baseline: {
        file: settings.baseline,
        suppressed: report.findings.length - fresh.length,
        ...(settings.reportStale ? { stale: baseline.fingerprints.filter((e) => !seen.has(e.fingerprint)) } : {}),
      },
    };
  };
  return { rules, run };
}

/**
 * A running scan. Iterate it for findings as they are first seen (a finding's later locations
 * appear only in the report), or await `report` for the complete result; both may be used.
 * Secrets in findings are raw: redact before printing (reporters do, unless asked not to).
 */
export interface ScanRun extends AsyncIterable<Finding> {
  /** The rules in effect (built-in and the config's). */
  rules: Rule[];
  report: Promise<Report>;
}

/** Runs sources with the settings and exposes findings as an async iterable. */
/** Sources now, or opened when the scan starts (and closed when it ends). */
export type SourceSet = Source[] | (() => Promise<Source[] | { sources: Source[]; close(): void }>);

export function runSources(sources: SourceSet, settings: ScanSettings, hooks: Omit<ScanHooks, 'onFinding'> = {}): ScanRun {
  // Configuration problems throw here, before anything runs.
  return startScan(prepareScan(settings), sources, hooks);
}

/** Starts a prepared scan (its rules are known before it starts, e.g. to set up a reporter). */
export function startScan(scan: PreparedScan, sources: SourceSet, hooks: Omit<ScanHooks, 'onFinding'> = {}): ScanRun {
  const queue: Finding[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  const report = (async () => {
    try {
      const opened = typeof sources === 'function' ? await sources() : sources;
      const list = Array.isArray(opened) ? opened : opened.sources;
      try {
        return await scan.run(list, {
          ...hooks,
          onFinding: (finding) => {
            queue.push(finding);
            wake?.();
          },
        });
      } finally {
        if (!Array.isArray(opened)) opened.close();
      }
    } finally {
      done = true;
      wake?.();
    }
  })();
  // An unobserved report must not crash the process: iteration and `report` both surface errors.
  report.catch(() => {});
  return {
    rules: scan.rules,
    report,
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (queue.length > 0) yield queue.shift()!;
        if (done) break;
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
      await report;
    },
  };
}
