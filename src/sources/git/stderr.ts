// What git writes to stderr. When git dies, the end of it says why. When git exits 0 but said
// something, a "warning:" or "hint:" leaves its output whole (an attributes file git ignores a
// line of), while anything else ("error: ...") may mean output is missing, and nothing says
// which: that makes the scan incomplete.
import type { SourceEvent } from '../source.js';
import { objectInGitError } from './exec.js';

const MAX_TAIL = 16 * 1024;
/** Distinct messages kept: the same warning may repeat for every commit. */
const MAX_MESSAGES = 20;

/** A line that starts a message; lines without such a prefix continue the one before. */
const MESSAGE_START = /^(?:warning|error|fatal|hint):/i;
/** Messages that leave git's output whole. */
const HARMLESS = /^(?:warning|hint):/i;

export class GitStderr {
  /** The last MAX_TAIL characters: git's fatal error, when it dies. */
  tail = '';
  private readonly messages = new Set<string>();
  private current: string | undefined;
  private partial = '';

  push(data: Buffer): void {
    const text = data.toString('utf8');
    this.tail = (this.tail + text).slice(-MAX_TAIL);
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.line(line);
  }

  /**
   * Events for what git said although it succeeded, each distinct message once per scan
   * (`reported` is shared by every git process of the scan).
   */
  events(command: string, repo: string, reported: Set<string>): SourceEvent[] {
    this.line(this.partial);
    this.partial = '';
    this.finish();
    const events: SourceEvent[] = [];
    for (const said of this.messages) {
      if (reported.has(said)) continue;
      reported.add(said);
      const message = `git ${command}: ${said}`;
      if (HARMLESS.test(said)) events.push({ type: 'warning', warning: { kind: 'git', path: repo, message } });
      else events.push({ type: 'error', error: { kind: 'git', path: objectInGitError(said) ?? repo, message } });
    }
    return events;
  }

  private line(raw: string): void {
    const line = raw.trim();
    if (!line) return;
    if (this.current !== undefined && !MESSAGE_START.test(line)) {
      this.current += ` ${line}`;
      return;
    }
    this.finish();
    this.current = line;
  }

  private finish(): void {
    if (this.current !== undefined && this.messages.size < MAX_MESSAGES) this.messages.add(this.current);
    this.current = undefined;
  }
}
