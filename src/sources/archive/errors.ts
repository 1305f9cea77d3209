// Errors raised while walking an archive, tied to the member chain they belong to, and the
// per-input reporter that turns them into scan errors (content not scanned) or warnings
// (content scanned whole all the same) without letting a bomb of 65,536 identical breaches
// flood the report.
import type { ScanError } from '../../types.js';
import type { SourceEvent } from '../source.js';

/**
 * Categories that lose no content: a crafted name (the member is scanned anyway), a link or
 * device (nothing to read), a zip whose directory is unreadable but whose members were all
 * read front to back (a cut before the directory is a 'corrupt' error of its own).
 */
const WARNING_CATEGORIES: ReadonlySet<string> = new Set(['suspicious-name', 'special-member', 'zip-directory']);

/** An archive problem as the scan event it is: an error, or a warning when nothing was lost. */
export function issueEvent(issue: ScanError): SourceEvent {
  return WARNING_CATEGORIES.has(issue.kind) ? { type: 'warning', warning: issue } : { type: 'error', error: issue };
}

/**
 * A problem with one member (or, with `stopsInput`, with the whole top-level input). `chain`
 * is the archive path of the member it belongs to, so a failure of an outer stream seen while
 * reading an inner member is reported (and handled) at the outer level.
 */
export class MemberError extends Error {
  constructor(
    readonly chain: readonly string[],
    message: string,
    /** The error's kind in the report, also used for grouping: 'max-ratio', 'corrupt', 'unsupported'... */
    readonly category: string,
    /** Total-bytes and member-count breaches end the walk of the whole input. */
    readonly stopsInput = false,
  ) {
    super(message);
    this.name = 'MemberError';
  }
}

/** True when `inner` is `outer` or lies inside it. */
export function chainWithin(inner: readonly string[], outer: readonly string[]): boolean {
  return inner.length >= outer.length && outer.every((part, i) => inner[i] === part);
}

export function chainPath(chain: readonly string[]): string {
  return chain.join('!');
}

/** Wraps any error thrown by a stream that belongs to `chain`, keeping MemberErrors as they are. */
export function asMemberError(err: unknown, chain: readonly string[]): MemberError {
  if (err instanceof MemberError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new MemberError(chain, message, 'corrupt');
}

/** How many errors of one category one input reports in full before they are summed up. */
export const ERRORS_PER_CATEGORY = 20;

/** Collects errors for one top-level input; repeats of a category beyond the cap are counted. */
export class ErrorReporter {
  private readonly counts = new Map<string, number>();

  /** The scan event to emit, or undefined when this category is already over its cap. */
  report(err: MemberError): SourceEvent | undefined {
    const n = (this.counts.get(err.category) ?? 0) + 1;
    this.counts.set(err.category, n);
    if (n > ERRORS_PER_CATEGORY) return undefined;
    return issueEvent({ kind: err.category, path: chainPath(err.chain), message: err.message });
  }

  /** One event per category that went over the cap, saying how many were left out. */
  summaries(root: string): SourceEvent[] {
    const out: SourceEvent[] = [];
    for (const [category, n] of this.counts) {
      if (n > ERRORS_PER_CATEGORY) {
        out.push(issueEvent({
          kind: category,
          path: root,
          message: `${n - ERRORS_PER_CATEGORY} more members failed with "${category}" (only the first ${ERRORS_PER_CATEGORY} are listed)`,
        }));
      }
    }
    return out;
  }
}
