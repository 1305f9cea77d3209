// Finds the repository around a directory as git does, without running git, in the plain case
// only: a `.git` directory in the directory or one of its parents, and nothing in the
// environment or the repository's config that moves the work tree. A pre-commit hook then
// starts one git process (the diff) instead of two. Anything else (GIT_DIR and the like, a
// `.git` file as in linked worktrees and submodules, core.worktree, config includes, a bare
// repository, a mount point on the way up) is left to `git rev-parse`: undefined here.
import { lstatSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';

/** Variables that change where git looks for the repository or its work tree. */
const LOCATING_ENV = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_CEILING_DIRECTORIES', 'GIT_DISCOVERY_ACROSS_FILESYSTEM', 'GIT_CONFIG_COUNT'];

/** Config that can move or remove the work tree (core.worktree, core.bare, extensions.worktreeConfig, includes). */
const LOCATING_CONFIG = /worktree|^\s*bare\s*=\s*(?:true|yes|on|1)\s*$|^\s*\[\s*include/im;

export interface FoundRepo {
  /** The work tree's top level (symbolic links resolved, as `git rev-parse --show-toplevel`). */
  top: string;
  gitDir: string;
}

function statOf(path: string, follow: boolean): Stats | undefined {
  try {
    return follow ? statSync(path) : lstatSync(path);
  } catch {
    return undefined;
  }
}

/** A directory git would take for a repository (`HEAD` and `objects` in it). */
function isGitDir(dir: string): boolean {
  return statOf(join(dir, 'HEAD'), true)?.isFile() === true && statOf(join(dir, 'objects'), true)?.isDirectory() === true;
}

function movesWorkTree(gitDir: string): boolean {
  try {
    return LOCATING_CONFIG.test(readFileSync(join(gitDir, 'config'), 'utf8'));
  } catch {
    return true;
  }
}

/** The repository containing `dir` when git would certainly find it there; undefined when unsure. */
export function findRepo(dir: string, env: NodeJS.ProcessEnv = process.env): FoundRepo | undefined {
  if (LOCATING_ENV.some((name) => env[name] !== undefined)) return undefined;
  if (/worktree|bare/i.test(env.GIT_CONFIG_PARAMETERS ?? '')) return undefined;
  let current: string;
  try {
    current = realpathSync.native(dir);
  } catch {
    return undefined;
  }
  const device = statOf(current, true)?.dev;
  for (;;) {
    const dotGit = join(current, '.git');
    const found = statOf(dotGit, false);
    if (found) return found.isDirectory() && isGitDir(dotGit) && !movesWorkTree(dotGit) ? { top: current, gitDir: dotGit } : undefined;
    if (isGitDir(current)) return undefined;
    const parent = dirname(current);
    if (parent === current || statOf(parent, true)?.dev !== device) return undefined;
    current = parent;
  }
}
