// The library API: `import { scanDir, scanGit, ... } from 'leaksweep'`. Each function starts a
// scan and returns a ScanRun: an async iterable of findings as they are first seen, and the
// final report (every finding with all its locations) once the scan ends. The CLI commands
// build the same sources and run them through the same `runSources`.
import { resolve } from 'node:path';
import { runSources, type ScanRun, type ScanSettings } from './scan.js';
import { artifactSource } from './sources/archive/archive-source.js';
import { DEFAULT_LIMITS, type ArchiveLimits } from './sources/archive/limits.js';
import { DirSource } from './sources/fs.js';
import { GitHistorySource, type BackendChoice, type HistorySelection } from './sources/git/index.js';
import { logsSource } from './sources/logs/logs-source.js';
import type { Source } from './sources/source.js';
import { locateRepo, StagedSource } from './sources/staged.js';
import { tfstateSources, type TfstateTargetOptions } from './sources/tfstate-targets.js';
import { ALL_HISTORY } from './sources/git/selection.js';

export type { Finding, Location, Report, ScanError, ScanWarning, ScanStats, Severity, Rule, Origin, Chunk } from './types.js';
export type { Source, SourceEvent } from './sources/source.js';
export { runSources, prepareScan, startScan } from './scan.js';
export type { ScanSettings, ScanRun, ScanHooks } from './scan.js';
export type { HistorySelection, BackendChoice } from './sources/git/index.js';
export type { ArchiveLimits } from './sources/archive/limits.js';

/** Settings every scan takes; `root` defaults to the scanned path (or the current folder). */
export type ScanOptions = Partial<ScanSettings>;

function settingsFor(options: ScanOptions, root: string): ScanSettings {
  return { ...options, root: resolve(options.root ?? root) };
}

const asList = (paths: string | string[]): string[] => (Array.isArray(paths) ? paths : [paths]);

/** Files and folders; honours .gitignore, skips .git/ and binaries, never follows symlinks. */
export function scanDir(paths: string | string[], options: ScanOptions & { gitignore?: boolean } = {}): ScanRun {
  const list = asList(paths);
  return runSources([new DirSource({ paths: list, gitignore: options.gitignore })], settingsFor(options, list[0] ?? '.'));
}

/** The history of a repository: what every selected commit added, with author and date. */
export function scanGit(
  repo = '.',
  options: ScanOptions & { selection?: Partial<HistorySelection>; backend?: BackendChoice } = {},
): ScanRun {
  const selection: HistorySelection = { ...ALL_HISTORY, ...options.selection };
  const source = new GitHistorySource({ repo: resolve(repo), selection, backend: options.backend });
  return runSources([source], settingsFor(options, repo));
}

/** What `git commit` would record in the repository containing `path`. */
export function scanStaged(path = '.', options: ScanOptions = {}): ScanRun {
  return runSources(async () => {
    const info = await locateRepo(resolve(path));
    if ('error' in info) throw new Error(`${path}: not inside a git worktree: ${info.error}`);
    return [new StagedSource(info)];
  }, settingsFor(options, path));
}

export type TfstateOptions = ScanOptions & TfstateTargetOptions;

/** Terraform state files, folders and s3://bucket[/prefix] targets. */
export function scanTfstate(targets: string | string[], options: TfstateOptions = {}): ScanRun {
  return runSources(() => tfstateSources(asList(targets), options), { ...settingsFor(options, '.'), cacheScope: { workspaceKeyPrefix: options.workspaceKeyPrefix } });
}

/** CI logs: files, folders, gzip'd logs and GitHub Actions run-log zips. */
export function scanLogs(paths: string | string[], options: ScanOptions & { limits?: ArchiveLimits } = {}): ScanRun {
  const settings = { ...settingsFor(options, '.'), cacheScope: options.limits ?? DEFAULT_LIMITS };
  return runSources([logsSource(asList(paths).map((p) => resolve(p)), { root: settings.root, limits: options.limits })], settings);
}

/** Build artifacts: zip family, tar, gzip, container images; nested, streamed. */
export function scanArtifact(paths: string | string[], options: ScanOptions & { limits?: ArchiveLimits } = {}): ScanRun {
  const settings = { ...settingsFor(options, '.'), cacheScope: options.limits ?? DEFAULT_LIMITS };
  return runSources([artifactSource(asList(paths).map((p) => resolve(p)), { root: settings.root, limits: options.limits })], settings);
}
