// A map that holds at most `capacity` entries, for caches whose misses only cost work again.
// Entries live in two generations, and when the newer one is full the older one is dropped
// whole: V8 leaves a deleted key's slot in place until a map is rebuilt, so evicting the oldest
// key one at a time walked past every key evicted before it (on git/git's history that walk cost
// more than the scanning the cache saved). An entry read from the older generation moves to the
// newer one, so what keeps coming back stays.
export class BoundedMap<K, V> {
  private newer = new Map<K, V>();
  private older = new Map<K, V>();
  private readonly generation: number;

  constructor(capacity: number) {
    this.generation = Math.max(1, Math.floor(capacity / 2));
  }

  get(key: K): V | undefined {
    const found = this.newer.get(key);
    if (found !== undefined) return found;
    const old = this.older.get(key);
    if (old !== undefined) this.set(key, old);
    return old;
  }

  set(key: K, value: V): void {
    if (this.newer.size >= this.generation && !this.newer.has(key)) {
      this.older = this.newer;
      this.newer = new Map();
    }
    this.newer.set(key, value);
  }

  /** Entries held now (at most the capacity). */
  get size(): number {
    return this.newer.size + this.older.size;
  }
}
