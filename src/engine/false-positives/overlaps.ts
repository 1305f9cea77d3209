// One secret, one finding: when a provider rule and a generic rule both match the same value
// (`GITHUB_TOKEN=ghp_…` is also a token assignment), the surer rule's match stands alone.
import type { Rule } from '../../types.js';

interface Span {
  rule: Rule;
  start: number;
  end: number;
}

/** Drops each detection that overlaps one of a more confident rule. Input sorted by start. */
export function preferSpecific<T extends Span>(detections: T[]): T[] {
  if (detections.length < 2) return detections;
  return detections.filter((d, i) => {
    // Sorted by start: overlapping spans are neighbours within a short reach.
    for (let j = i - 1; j >= 0 && i - j <= 16; j--) {
      const o = detections[j];
      if (o.end > d.start && o.rule.confidence > d.rule.confidence) return false;
    }
    for (let j = i + 1; j < detections.length && detections[j].start < d.end; j++) {
      if (detections[j].rule.confidence > d.rule.confidence) return false;
    }
    return true;
  });
}
