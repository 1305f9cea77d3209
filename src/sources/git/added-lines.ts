// Which lines of a new file version are added relative to an old one: a Myers diff on
// whole lines, shaped like git's xdiff (common prefix/suffix trimmed, lines that occur
// on one side only settled before the diff) so both git backends agree on what was added.

/** Above this many edits the exact diff costs too much memory; the rest counts as added. */
const MAX_EDIT_DISTANCE = 2048;

/**
 * Indices (0-based, ascending) of the lines of `newer` that are not matched to a line of
 * `older`. Lines are compared exactly (callers keep line terminators so "x" and "x\n" differ).
 */
export function addedLineIndices(older: readonly string[], newer: readonly string[]): number[] {
  let start = 0;
  while (start < older.length && start < newer.length && older[start] === newer[start]) start++;
  let endOld = older.length;
  let endNew = newer.length;
  while (endOld > start && endNew > start && older[endOld - 1] === newer[endNew - 1]) {
    endOld--;
    endNew--;
  }
  if (endNew === start) return [];
  const added = new Uint8Array(endNew - start);

  // Lines without a twin on the other side are settled now; only the rest goes to Myers.
  const ids = new Map<string, number>();
  const idOf = (line: string): number => {
    let id = ids.get(line);
    if (id === undefined) ids.set(line, (id = ids.size));
    return id;
  };
  const oldIds: number[] = [];
  const oldSeen = new Set<number>();
  for (let i = start; i < endOld; i++) oldSeen.add(idOf(older[i]));
  const newIds = new Int32Array(endNew - start);
  const newSeen = new Set<number>();
  for (let i = start; i < endNew; i++) newSeen.add((newIds[i - start] = idOf(newer[i])));
  for (let i = start; i < endOld; i++) {
    const id = ids.get(older[i])!;
    if (newSeen.has(id)) oldIds.push(id);
  }
  const keptNew: number[] = []; // positions (relative to start) of new lines that go to Myers
  for (let j = 0; j < newIds.length; j++) {
    if (oldSeen.has(newIds[j])) keptNew.push(j);
    else added[j] = 1;
  }
  const inserted = myersInsertions(Int32Array.from(oldIds), Int32Array.from(keptNew, (j) => newIds[j]));
  for (let i = 0; i < keptNew.length; i++) if (inserted[i]) added[keptNew[i]] = 1;

  const result: number[] = [];
  for (let j = 0; j < added.length; j++) if (added[j]) result.push(start + j);
  return result;
}

/** Flags the elements of `b` that a shortest edit script from `a` to `b` inserts. */
function myersInsertions(a: Int32Array, b: Int32Array): Uint8Array {
  const n = a.length;
  const m = b.length;
  const inserted = new Uint8Array(m);
  if (m === 0) return inserted;
  if (n === 0) return inserted.fill(1);
  const offset = n + m + 1;
  const v = new Int32Array(2 * offset + 1);
  const trace: Int32Array[] = [];
  const maxD = Math.min(n + m, MAX_EDIT_DISTANCE);
  for (let d = 0; d <= maxD; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        backtrack(trace, n, m, d, inserted);
        return inserted;
      }
    }
  }
  return inserted.fill(1);
}

function backtrack(trace: Int32Array[], n: number, m: number, dEnd: number, inserted: Uint8Array): void {
  let x = n;
  let y = m;
  for (let d = dEnd; d > 0; d--) {
    const snap = trace[d]; // v as it was before step d; index k maps to snap[k + d + 1]
    const at = (k: number): number => snap[k + d + 1];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    if (prevK === k + 1) inserted[prevY] = 1;
    x = prevX;
    y = prevY;
  }
}

/** Line numbers (1-based) present in every list: what a merge adds relative to all parents. */
export function intersectSorted(lists: readonly number[][]): number[] {
  if (lists.length === 0) return [];
  let acc = lists[0];
  for (let i = 1; i < lists.length; i++) {
    const other = new Set(lists[i]);
    acc = acc.filter((n) => other.has(n));
  }
  return acc;
}
