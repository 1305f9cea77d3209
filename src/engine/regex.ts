// Regex engines behind one interface. Built-in rules (vetted by a test for catastrophic
// backtracking) run on V8's RegExp, which is fast; rules a user supplies run on re2-wasm,
// which is linear-time, so a hostile config cannot hang a scan.
import { onFirstUse } from '../lazy-require.js';

export interface RegexHit {
  /** UTF-16 offsets into the searched text. */
  start: number;
  end: number;
  secretStart: number;
  secretEnd: number;
}

export interface RegexEngine {
  /** Every non-overlapping match in `text`. */
  findAll(text: string): RegexHit[];
}

/** A leading `(?i)`/`(?s)` group of an RE2 pattern as JS flags, and the pattern without it. */
function leadingFlags(pattern: string): { body: string; flags: string } {
  const leading = /^\(\?([imsU]+)\)/.exec(pattern);
  if (!leading) return { body: pattern, flags: '' };
  const flags = (leading[1].includes('i') ? 'i' : '') + (leading[1].includes('s') ? 's' : '');
  return { body: pattern.slice(leading[0].length), flags };
}

/** Translates the RE2 syntax of rule files into a V8 source and flags. */
export function re2ToV8(pattern: string): { source: string; flags: string } {
  const { body, flags } = leadingFlags(pattern);
  const source = body.replace(/\(\?P</g, '(?<').replace(/\\z/g, '$(?![\\s\\S])').replace(/\\A/g, '(?<![\\s\\S])');
  return { source, flags: `gmd${flags}` };
}

export class V8RegexEngine implements RegexEngine {
  private readonly re: RegExp;
  constructor(
    pattern: string,
    private readonly secretGroup?: number,
  ) {
    const { source, flags } = re2ToV8(pattern);
    this.re = new RegExp(source, flags);
  }

  findAll(text: string): RegexHit[] {
    const hits: RegexHit[] = [];
    const re = this.re;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      const start = m.index;
      const end = start + m[0].length;
      const group = this.secretGroup === undefined ? undefined : m.indices?.[this.secretGroup];
      const span = group ?? m.indices?.groups?.secret ?? m.indices?.[1] ?? [start, end];
      hits.push({ start, end, secretStart: span[0], secretEnd: span[1] });
    }
    return hits;
  }
}

interface Re2Match extends Array<string | undefined> {
  index: number;
  groups?: Record<string, string | undefined>;
}
interface Re2Instance {
  lastIndex: number;
  exec(text: string): Re2Match | null;
}
type Re2Constructor = new (pattern: string, flags: string) => Re2Instance;

/** Loaded on first use only: the WASM module costs start-up time a pre-commit hook can't spare. */
const re2 = onFirstUse<{ RE2: Re2Constructor }>('re2-wasm');

/** Longest input handed to re2-wasm at once: its heap is a fixed 16 MiB and it copies every input. */
export const RE2_MAX_INPUT = 64 * 1024;

export class Re2RegexEngine implements RegexEngine {
  private compiled: Re2Instance | undefined;
  private readonly flags: string;
  private readonly source: string;
  constructor(
    pattern: string,
    private readonly secretGroup?: number,
  ) {
    const { body, flags } = leadingFlags(pattern);
    this.source = body;
    this.flags = `gu${flags}m`;
  }

  /** Compiles now; throws with RE2's message on bad syntax. */
  compile(): Re2Instance {
    if (!this.compiled) {
      this.compiled = new (re2().RE2)(this.source, this.flags);
    }
    return this.compiled;
  }

  findAll(text: string): RegexHit[] {
    const hits: RegexHit[] = [];
    for (let base = 0; base < text.length; base += RE2_MAX_INPUT) {
      // Windows are at most 64 KiB already; this loop only guards direct callers.
      const piece = text.slice(base, base + RE2_MAX_INPUT);
      for (const hit of this.findInPiece(piece)) {
        hits.push({
          start: hit.start + base,
          end: hit.end + base,
          secretStart: hit.secretStart + base,
          secretEnd: hit.secretEnd + base,
        });
      }
    }
    return hits;
  }

  private findInPiece(text: string): RegexHit[] {
    const re = this.compile();
    const hits: RegexHit[] = [];
    const toUtf16 = codePointToUtf16(text);
    re.lastIndex = 0;
    let m: Re2Match | null;
    while ((m = re.exec(text)) !== null) {
      const whole = m[0] ?? '';
      const start = toUtf16(m.index);
      const end = start + whole.length;
      if (whole.length === 0) {
        re.lastIndex++;
        continue;
      }
      const secret = (this.secretGroup === undefined ? undefined : m[this.secretGroup]) ?? m.groups?.secret ?? m[1];
      let secretStart = start;
      let secretEnd = end;
      if (secret !== undefined) {
        // re2-wasm gives no group offsets; the group's first occurrence inside the match is
        // where it is in all but contrived patterns.
        const at = whole.indexOf(secret);
        if (at >= 0) {
          secretStart = start + at;
          secretEnd = secretStart + secret.length;
        }
      }
      hits.push({ start, end, secretStart, secretEnd });
    }
    return hits;
  }
}

/** re2-wasm reports code-point indices; JS strings index UTF-16 units. */
function codePointToUtf16(text: string): (cp: number) => number {
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      ascii = false;
      break;
    }
  }
  if (ascii) return (cp) => cp;
  let lastCp = 0;
  let lastUnit = 0;
  return (cp) => {
    if (cp < lastCp) {
      lastCp = 0;
      lastUnit = 0;
    }
    while (lastCp < cp && lastUnit < text.length) {
      const c = text.charCodeAt(lastUnit);
      lastUnit += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
      lastCp++;
    }
    return lastUnit;
  };
}

export function createRegexEngine(pattern: string, origin: 'builtin' | 'user', secretGroup?: number): RegexEngine {
  return origin === 'builtin' ? new V8RegexEngine(pattern, secretGroup) : new Re2RegexEngine(pattern, secretGroup);
}
