// Built-in rules run on V8's backtracking engine, so their patterns must not be able to
// backtrack badly: every quantifier is bounded and no quantified group holds a quantifier.

export interface RegexProblem {
  at: number;
  problem: string;
}

/** Problems that make a pattern unfit for a backtracking engine; empty when it is fine. */
export function backtrackingProblems(pattern: string): RegexProblem[] {
  const problems: RegexProblem[] = [];
  // Per open group: whether it (or a group inside it) contains a quantifier.
  const groups: { quantified: boolean }[] = [];
  let lastGroupHadQuantifier = false;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      lastGroupHadQuantifier = false;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (pattern[i + 1] === ']') i++;
      lastGroupHadQuantifier = false;
      continue;
    }
    if (c === '(') {
      groups.push({ quantified: false });
      lastGroupHadQuantifier = false;
      continue;
    }
    if (c === ')') {
      const closed = groups.pop();
      lastGroupHadQuantifier = closed?.quantified ?? false;
      if (closed?.quantified && groups.length > 0) groups[groups.length - 1].quantified = true;
      // A group followed by a quantifier is judged below, with lastGroupHadQuantifier.
      const next = pattern[i + 1];
      if (next === '*' || next === '+' || next === '?' || next === '{') {
        if (lastGroupHadQuantifier && next !== '?') problems.push({ at: i + 1, problem: 'quantified group contains a quantifier (nested quantifiers)' });
      }
      continue;
    }
    const isQuantifier = c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(i)));
    if (!isQuantifier) {
      lastGroupHadQuantifier = false;
      continue;
    }
    // `(?`, `*?`, `+?`, `}?` are not quantifiers of their own.
    if (c === '?' && (pattern[i - 1] === '(' || /[*+?}]/.test(pattern[i - 1] ?? ''))) continue;
    if (c === '*' || c === '+') problems.push({ at: i, problem: `unbounded quantifier "${c}"` });
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i))!;
      if (m[2] !== undefined && m[3] === '') problems.push({ at: i, problem: `unbounded quantifier "${m[0]}"` });
      i += m[0].length - 1;
    }
    if (c !== '?' && groups.length > 0) groups[groups.length - 1].quantified = true;
    lastGroupHadQuantifier = false;
  }
  return problems;
}
