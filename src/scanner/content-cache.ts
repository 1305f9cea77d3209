// What detection found in content already scanned, by the chunk's contentKey, so content that
// comes again (a cherry-picked or re-applied change) is scanned once. Bounded: entries live in
// two generations, and when the newer one is full the older one is dropped whole, so memory
// stays flat however long the history (a copy whose original was dropped is simply scanned
// again, with the same result).
import type { Detected } from './task.js';

export const CONTENT_CACHE_ENTRIES = 65_536;
const NOTHING: Detected = Object.freeze({ matches: [], errors: [], warnings: [] }) as Detected;

export class ContentCache {
  /**
   * Generations, not one map evicting its oldest key: V8 leaves a deleted key's slot in place
   * until the map is rebuilt, so finding the oldest live key walked past every one evicted
   * before it, and on git/git's history that walk cost more than the scanning it saved.
   */
  private newer = new Map<string, Detected>();
  private older = new Map<string, Detected>();
  private readonly generation: number;
  hits = 0;

  constructor(capacity = CONTENT_CACHE_ENTRIES) {
    this.generation = Math.max(1, Math.floor(capacity / 2));
  }

  get(key: string): Detected | undefined {
    let found = this.newer.get(key);
    if (!found) {
      found = this.older.get(key);
      // Content that keeps coming back stays in the cache.
      if (found) this.add(key, found);
    }
    if (found) this.hits++;
    return found;
  }

  set(key: string, detected: Detected): void {
    // Most content holds nothing: those entries share one value.
    this.add(key, detected.matches.length === 0 && detected.errors.length === 0 && detected.warnings.length === 0 ? NOTHING : detected);
  }

  /** Entries held now (at most the capacity). */
  get size(): number {
    return this.newer.size + this.older.size;
  }

  private add(key: string, detected: Detected): void {
    if (this.newer.size >= this.generation && !this.newer.has(key)) {
      this.older = this.newer;
      this.newer = new Map();
    }
    this.newer.set(key, detected);
  }
}
