// The two ways to read history, behind one interface: the git CLI (fast) and isomorphic-git
// (pure JS, for machines without git). Both yield the same events for the same repository.
import type { SourceContext, SourceEvent } from '../source.js';
import { hasGitAtLeast } from './exec.js';
import type { HistorySelection } from './selection.js';
import type { CliBackendOptions } from './cli-backend.js';

/** Given the selected commits (newest first), the ones to read; see commit-pick.ts. */
export type CommitPick = (selected: string[]) => string[];

/** What the scan offers a backend to save work (the CLI backend does not diff merges that hold nothing). */
export interface HistoryHints {
  findsAnything?: SourceContext['findsAnything'];
}

export interface HistoryBackend {
  readonly name: 'cli' | 'js';
  events(repo: string, selection: HistorySelection, pick?: CommitPick, hints?: HistoryHints): AsyncIterable<SourceEvent>;
}

export type BackendChoice = 'auto' | 'cli' | 'js';

/** The oldest git whose plumbing output the CLI backend relies on. */
export const MIN_GIT: [number, number] = [2, 20];

/** The CLI backend when a recent enough git is on PATH, else the JS one (loaded only then). */
export async function chooseBackend(choice: BackendChoice, options: CliBackendOptions = {}): Promise<HistoryBackend> {
  if (choice === 'cli' || (choice === 'auto' && (await hasGitAtLeast(...MIN_GIT)))) {
    const { CliBackend } = await import('./cli-backend.js');
    return new CliBackend(options);
  }
  const { JsBackend } = await import('./js-backend.js');
  return new JsBackend();
}
