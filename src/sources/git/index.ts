// `leaksweep git`: the content every selected commit added, with who added it and when.
import type { Source, SourceContext, SourceEvent } from '../source.js';
import { chooseBackend, type BackendChoice } from './backend.js';
import { newCommitEvents } from './commit-pick.js';
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

  constructor(private readonly options: GitHistoryOptions) {
    this.name = `git history of ${options.repo}`;
  }

  async *events(context: SourceContext = {}): AsyncGenerator<SourceEvent> {
    const backend = await chooseBackend(this.options.backend ?? 'auto', {
      jobs: this.options.jobs,
      rangeCommits: this.options.rangeCommits,
      ...(this.options.diffEveryMerge ? {} : { findsAnything: context.findsAnything }),
    });
    const selection = this.options.selection ?? ALL_HISTORY;
    if (context.cache) yield* newCommitEvents(backend, this.options.repo, selection, context.cache);
    else yield* backend.events(this.options.repo, selection);
  }
}
