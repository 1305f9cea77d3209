// `leaksweep git`: the content every selected commit added, with who added it and when.
import type { Source, SourceContext, SourceEvent } from '../source.js';
import { chooseBackend, type BackendChoice, type HistoryBackend, type HistoryHints } from './backend.js';
import { newCommitEvents } from './commit-pick.js';
import { listCommits } from './rev-list.js';
import { ALL_HISTORY, type HistorySelection } from './selection.js';

export type { BackendChoice } from './backend.js';
export type { HistorySelection } from './selection.js';

export interface GitHistoryOptions {
  /** A worktree, a subdirectory of one, or a bare repository. */
  repo: string;
  selection?: HistorySelection;
  backend?: BackendChoice;
  /** Parallel git processes for the CLI backend (default: the number of cores). */
  jobs?: number;
  /** Commits per git process for the CLI backend (tests use small ranges to get many). */
  rangeCommits?: number;
  /** Diff every merge, even one whose new file versions hold nothing (tests compare with it). */
  diffEveryMerge?: boolean;
}

export class GitHistorySource implements Source {
  readonly name: string;
  private readonly selection: HistorySelection;
  private backend: Promise<HistoryBackend> | undefined;

  constructor(private readonly options: GitHistoryOptions) {
    this.name = `git history of ${options.repo}`;
    this.selection = options.selection ?? ALL_HISTORY;
  }

  /**
   * Starts git now (its version check, then the commit listing), so it runs while the caller
   * loads the rules and the scan cache: a cached sweep of a few new commits waits for both.
   */
  start(): this {
    if (this.backend) return this;
    const { repo, backend: choice = 'auto', jobs, rangeCommits } = this.options;
    // Listed beside the version check, not after it: the caller loads rules and the cache
    // synchronously meanwhile. Without a recent git the JS backend reads history and this is unused.
    const early = choice === 'js' ? undefined : { repo, selection: this.selection, listed: listCommits(repo, this.selection) };
    this.backend = chooseBackend(choice, { jobs, rangeCommits, early });
    // Awaited by `events`; a scan that fails before reading history never asks for it.
    this.backend.catch(() => undefined);
    return this;
  }

  async *events(context: SourceContext = {}): AsyncGenerator<SourceEvent> {
    const backend = await this.start().backend!;
    this.backend = undefined;
    const hints: HistoryHints = this.options.diffEveryMerge ? {} : { findsAnything: context.findsAnything };
    if (context.cache) yield* newCommitEvents(backend, this.options.repo, this.selection, context.cache, hints);
    else yield* backend.events(this.options.repo, this.selection, undefined, hints);
  }
}
