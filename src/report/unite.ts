// One finding told by several reports (shards, sweeps) or several JSONL lines: what to keep of
// the fields that are the finding's, not a place's.
import type { FindingView } from './view.js';

/** ISO 8601 times in UTC (what the cache writes) compare as strings. */
function earliest(a: string | undefined, b: string | undefined): string | undefined {
  return a === undefined || (b !== undefined && b < a) ? b : a;
}

function latest(a: string | undefined, b: string | undefined): string | undefined {
  return a === undefined || (b !== undefined && b > a) ? b : a;
}

/**
 * The same finding in another report: seen first at the earliest of their firstSeen, last at
 * the latest of their lastSeen; a secret as printed (not only its cached redacted form) wins,
 * as in the finding store.
 */
export function uniteSightings(into: FindingView, other: FindingView): void {
  const firstSeen = earliest(into.firstSeen, other.firstSeen);
  const lastSeen = latest(into.lastSeen, other.lastSeen);
  if (firstSeen !== undefined) into.firstSeen = firstSeen;
  if (lastSeen !== undefined) into.lastSeen = lastSeen;
  if (into.secretRedacted && !other.secretRedacted) {
    into.secret = other.secret;
    delete into.secretRedacted;
  }
}
