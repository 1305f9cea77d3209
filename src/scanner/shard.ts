// `--shard K/N`: a deterministic split of a scan's work, so N workers on an existing engine
// (a Kubernetes Indexed Job, a CI matrix) each scan a part and `leaksweep merge` folds them.
import type { Task } from './task.js';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export function parseShard(value: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = m ? Number(m[1]) : 0;
  const count = m ? Number(m[2]) : 0;
  if (!m || count < 1 || index < 1 || index > count) throw new Error(`--shard takes K/N with 1 <= K <= N, not "${value}"`);
  return { index, count };
}

/** FNV-1a: stable across runs and machines, which is all a shard key needs. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * What a task is split by: a commit (git history), an object key (every version of a state
 * object stays in one shard), else the outermost file (an archive's members stay together).
 */
export function shardKey(task: Task): string {
  const origin = task.type === 'file' ? task.file.origin : task.chunk.origin;
  return origin.commit ?? origin.object ?? origin.path.split('!')[0];
}

export function inShard(task: Task, shard: Shard): boolean {
  return shard.count === 1 || fnv1a(shardKey(task)) % shard.count === shard.index - 1;
}
