// Which commits a history scan covers. The CLI backend hands this to `git rev-list`; the JS
// backend reproduces rev-list's meaning (refs, ^exclusion, committer-date limits, count).

export interface HistorySelection {
  /** Refs (or commits) to start from; with no refs and no globs, every ref and HEAD (`--all`). */
  refs: string[];
  /** Ref globs as in `git rev-list --glob` ("refs/" implied, "/*" implied without wildcards). */
  refGlobs: string[];
  /** Committer-date limits, as in `git rev-list --since/--until`. */
  since?: Date;
  until?: Date;
  /** Only commits not reachable from this one. */
  sinceCommit?: string;
  maxCommits?: number;
}

export const ALL_HISTORY: HistorySelection = { refs: [], refGlobs: [] };

export function revListArgs(selection: HistorySelection): string[] {
  const args: string[] = [];
  if (selection.refs.length === 0 && selection.refGlobs.length === 0) args.push('--all');
  for (const glob of selection.refGlobs) args.push(`--glob=${glob}`);
  if (selection.since) args.push(`--since=${selection.since.toISOString()}`);
  if (selection.until) args.push(`--until=${selection.until.toISOString()}`);
  if (selection.maxCommits !== undefined) args.push(`--max-count=${selection.maxCommits}`);
  args.push(...selection.refs);
  if (selection.sinceCommit) args.push(`^${selection.sinceCommit}`);
  return args;
}

/** A `--glob` pattern as git completes it, as a regular expression over full ref names. */
export function refGlobRegExp(glob: string): RegExp {
  let pattern = glob.startsWith('refs/') ? glob : `refs/${glob}`;
  if (!/[*?[]/.test(pattern)) pattern += pattern.endsWith('/') ? '*' : '/*';
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) source += '\\[';
      else {
        source += `[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else source += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
