// One Aho-Corasick pass over the text finds every keyword occurrence, case-insensitively
// for ASCII, without lower-casing a copy of the text. Rules with no hit are never run.

const ASCII = 128;

/**
 * Characters are mapped to classes first: one per character that occurs in a keyword (upper
 * case folded to lower), and class 0 for every other. The transition table then has a column
 * per class instead of per character: several times smaller, so it builds fast (a pre-commit
 * hook builds it on every run) and stays in cache while scanning.
 */
function characterClasses(keywords: string[]): { classOf: Uint8Array; count: number } {
  const classOf = new Uint8Array(ASCII);
  let count = 1;
  for (const keyword of keywords) {
    for (const ch of keyword) {
      const c = ch.charCodeAt(0);
      if (c >= ASCII) throw new Error(`keyword "${keyword}" must be ASCII`);
      if (classOf[c] === 0) classOf[c] = count++;
    }
  }
  for (let c = 65; c <= 90; c++) classOf[c] = classOf[c + 32];
  if (count > 255) throw new Error('keywords use too many distinct characters');
  return { classOf, count };
}

/**
 * An automaton as data: the build stores the built-in rule pack's (see rules.ts), as building
 * one costs a pre-commit hook tens of milliseconds and loading it well under one. `next` holds
 * rows, as scanning uses it, so loading does not convert 100k entries; `outputs` is by state.
 */
export interface StoredAutomaton {
  keywords: string[];
  width: number;
  classOf: number[];
  next: TransitionTable;
  outputs: (number[] | null)[];
}

/** 16-bit entries while they fit: half the memory to load and to keep in cache while scanning. */
type TransitionTable = Uint16Array | Int32Array;

/**
 * The automaton with its accepting states (where some keyword ends) numbered after all others,
 * so the scan loop tells one by its row alone (row >= acceptFrom) instead of loading a flag per
 * character: a fifth of the loop's time. State 0, the start, accepts nothing (no keyword is
 * empty) and stays first. A table already in that order (a stored one) is returned as it is.
 */
function acceptingLast(
  next: TransitionTable,
  outputs: readonly (number[] | null | undefined)[],
  width: number,
): { next: TransitionTable; outputs: readonly (number[] | null | undefined)[]; acceptFrom: number } {
  const states = next.length / width;
  const order: number[] = [];
  for (let s = 0; s < states; s++) if (!outputs[s]) order.push(s);
  const acceptFrom = order.length * width;
  for (let s = 0; s < states; s++) if (outputs[s]) order.push(s);
  if (order.every((s, i) => s === i)) return { next, outputs, acceptFrom };
  const renumbered = new Int32Array(states);
  order.forEach((s, i) => (renumbered[s] = i));
  const table = next instanceof Uint16Array ? new Uint16Array(next.length) : new Int32Array(next.length);
  const byState: (number[] | null | undefined)[] = [];
  order.forEach((s, i) => {
    for (let c = 0; c < width; c++) table[i * width + c] = renumbered[next[s * width + c] / width] * width;
    byState.push(outputs[s]);
  });
  return { next: table, outputs: byState, acceptFrom };
}

/** Stored automata by their keyword list, for `KeywordAutomaton.for`. */
const stored = new Map<string, StoredAutomaton>();

const keywordsKey = (keywords: string[]): string => keywords.join('\n');

/** Makes `KeywordAutomaton.for` load this automaton instead of building it for the same keywords. */
export function provideStoredAutomaton(automaton: StoredAutomaton): void {
  stored.set(keywordsKey(automaton.keywords), automaton);
}

export class KeywordAutomaton {
  /**
   * next[row + class] = the next state's row (state * width), failure links folded in (a DFA).
   * Rows, not states, so the scan loop does no multiplication.
   */
  private readonly next: TransitionTable;
  private readonly width: number;
  private readonly classOf: Uint8Array;
  /** Rows from here on are of states where some keyword ends (see acceptingLast). */
  private readonly acceptFrom: number;
  /** Keywords ending at each state: outputs[state] lists keyword indices (incl. via failure links). */
  private readonly outputs: readonly (number[] | null | undefined)[];
  private readonly lengths: number[];
  private readonly keywords: string[];

  /** The automaton for `keywords` (lower-case): a stored one when provided, else built. */
  static for(keywords: string[]): KeywordAutomaton {
    const found = stored.get(keywordsKey(keywords));
    return found ? new KeywordAutomaton(keywords, found) : new KeywordAutomaton(keywords);
  }

  constructor(keywords: string[], from?: StoredAutomaton) {
    this.keywords = keywords;
    this.lengths = keywords.map((k) => k.length);
    if (from) {
      this.width = from.width;
      this.classOf = Uint8Array.from(from.classOf);
      ({ next: this.next, outputs: this.outputs, acceptFrom: this.acceptFrom } = acceptingLast(from.next, from.outputs, from.width));
      return;
    }
    const lowered = keywords.map((k) => k.toLowerCase());
    const { classOf, count: width } = characterClasses(lowered);
    this.classOf = classOf;
    this.width = width;
    let next = new Int32Array(width * 64).fill(-1);
    let states = 1;
    const out: (number[] | undefined)[] = [undefined];
    lowered.forEach((keyword, index) => {
      let state = 0;
      for (let i = 0; i < keyword.length; i++) {
        const at = state * width + classOf[keyword.charCodeAt(i)];
        if (next[at] === -1) {
          if ((states + 1) * width > next.length) {
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
    next = next.slice(0, states * width);
    // Breadth-first: failure links, then fill missing edges so the scan never follows a link.
    const fail = new Int32Array(states);
    const queue: number[] = [];
    for (let c = 0; c < width; c++) {
      const s = next[c];
      if (s === -1 || c === 0) next[c] = 0;
      else queue.push(s);
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const r = queue[qi];
      const inherited = out[fail[r]];
      if (inherited) out[r] = [...(out[r] ?? []), ...inherited];
      const row = r * width;
      const failRow = fail[r] * width;
      for (let c = 0; c < width; c++) {
        const s = next[row + c];
        if (s === -1) next[row + c] = next[failRow + c];
        else {
          fail[s] = next[failRow + c];
          queue.push(s);
        }
      }
    }
    const rows = next.length <= 0xffff ? new Uint16Array(next.length) : new Int32Array(next.length);
    for (let i = 0; i < next.length; i++) rows[i] = next[i] * width;
    ({ next: this.next, outputs: this.outputs, acceptFrom: this.acceptFrom } = acceptingLast(rows, out, width));
  }

  /** This automaton as data, for `provideStoredAutomaton`. */
  store(): StoredAutomaton {
    const { width } = this;
    const states = this.next.length / width;
    const outputs: (number[] | null)[] = [];
    for (let state = 0; state < states; state++) outputs.push(this.outputs[state] ?? null);
    return { keywords: this.keywords, width, classOf: [...this.classOf], next: this.next.slice(), outputs };
  }

  /**
   * Every keyword occurrence, in text order of its end, as flat pairs [keyword, end, ...]
   * (the keyword starts at end - its length). A plain loop over typed arrays that calls
   * nothing: it stays optimised from the first file on.
   */
  scan(text: string): number[] {
    const { next, acceptFrom, outputs, classOf, width } = this;
    const hits: number[] = [];
    let row = 0;
    for (let i = 0, n = text.length; i < n; i++) {
      const c = text.charCodeAt(i);
      row = next[row + (c < ASCII ? classOf[c] : 0)];
      if (row >= acceptFrom) {
        for (const k of outputs[row / width]!) hits.push(k, i + 1);
      }
    }
    return hits;
  }

  /** Length of keyword `k`. */
  length(k: number): number {
    return this.lengths[k];
  }
}
