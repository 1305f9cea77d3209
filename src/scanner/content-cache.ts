// What detection found in content already scanned, by the chunk's contentKey, so content that
// comes again (a cherry-picked or re-applied change) is scanned once. Bounded (see BoundedMap),
// so memory stays flat however long the history (a copy whose original was dropped is simply
// scanned again, with the same result).
import { BoundedMap } from '../bounded-map.js';
import type { Detected } from './task.js';

export const CONTENT_CACHE_ENTRIES = 65_536;
const NOTHING: Detected = Object.freeze({ matches: [], errors: [], warnings: [] }) as Detected;

export class ContentCache {
  private readonly entries: BoundedMap<string, Detected>;
  hits = 0;

  constructor(capacity = CONTENT_CACHE_ENTRIES) {
    this.entries = new BoundedMap(capacity);
  }

  get(key: string): Detected | undefined {
    const found = this.entries.get(key);
    if (found) this.hits++;
    return found;
  }

  set(key: string, detected: Detected): void {
    // Most content holds nothing: those entries share one value.
    this.entries.set(key, detected.matches.length === 0 && detected.errors.length === 0 && detected.warnings.length === 0 ? NOTHING : detected);
  }

  /** Entries held now (at most the capacity). */
  get size(): number {
    return this.entries.size;
  }
}
