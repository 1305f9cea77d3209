// One Aho-Corasick pass over the text finds every keyword occurrence, case-insensitively
// for ASCII, without lower-casing a copy of the text. Rules with no hit are never run.

export interface KeywordHit {
  /** Index of the keyword in the list the automaton was built from. */
  keyword: number;
  start: number;
  end: number;
}

const ALPHABET = 128;

export class KeywordAutomaton {
  /** goto[state * 128 + char] = next state, with failure links folded in (a DFA). */
  private readonly next: Int32Array;
  /** Keywords ending at each state: outputs[state] lists keyword indices (incl. via failure links). */
  private readonly outputs: (number[] | undefined)[];
  private readonly lengths: number[];

  constructor(keywords: string[]) {
    this.lengths = keywords.map((k) => k.length);
    // The trie is built straight into one typed array (rows of 128): a start-up cost a
    // pre-commit hook pays on every run, so no per-node arrays.
    let next = new Int32Array(ALPHABET * 64).fill(-1);
    let states = 1;
    const out: (number[] | undefined)[] = [undefined];
    keywords.forEach((keyword, index) => {
      let state = 0;
      for (const ch of keyword.toLowerCase()) {
        const c = ch.charCodeAt(0);
        if (c >= ALPHABET) throw new Error(`keyword "${keyword}" must be ASCII`);
        const at = state * ALPHABET + c;
        if (next[at] === -1) {
          if ((states + 1) * ALPHABET > next.length) {
            const grown = new Int32Array(next.length * 2).fill(-1);
            grown.set(next);
            next = grown;
          }
          next[at] = states++;
          out.push(undefined);
        }
        state = next[at];
      }
      (out[state] ??= []).push(index);
    });
    next = next.slice(0, states * ALPHABET);
    // Breadth-first: failure links, then fill missing edges so the scan never follows a link.
    const fail = new Int32Array(states);
    const queue: number[] = [];
    for (let c = 0; c < ALPHABET; c++) {
      const s = next[c];
      if (s === -1) next[c] = 0;
      else queue.push(s);
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const r = queue[qi];
      const inherited = out[fail[r]];
      if (inherited) out[r] = [...(out[r] ?? []), ...inherited];
      const row = r * ALPHABET;
      const failRow = fail[r] * ALPHABET;
      for (let c = 0; c < ALPHABET; c++) {
        const s = next[row + c];
        if (s === -1) next[row + c] = next[failRow + c];
        else {
          fail[s] = next[failRow + c];
          queue.push(s);
        }
      }
    }
    this.next = next;
    this.outputs = out;
  }

  /** Calls `onHit` for every keyword occurrence, in text order of its end. */
  scan(text: string, onHit: (keyword: number, start: number, end: number) => void): void {
    const next = this.next;
    const outputs = this.outputs;
    let state = 0;
    for (let i = 0, n = text.length; i < n; i++) {
      let c = text.charCodeAt(i);
      if (c >= ALPHABET) {
        state = 0;
        continue;
      }
      if (c >= 65 && c <= 90) c += 32;
      state = next[state * ALPHABET + c];
      if (state !== 0) {
        const hits = outputs[state];
        if (hits !== undefined) {
          for (const k of hits) onHit(k, i + 1 - this.lengths[k], i + 1);
        }
      }
    }
  }
}
