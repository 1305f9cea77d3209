// Builds real git repositories for the git and staged tests, with the git CLI: fixed
// authors and dates so every location can be asserted exactly.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers/temp-dir.js';

export { tempDir };

export interface Author {
  name: string;
  email: string;
}

export const ALICE: Author = { name: 'Alice Liddell', email: 'alice@example.org' };
export const BOB: Author = { name: 'Bob Stone', email: 'bob@example.org' };

export function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}, input?: string): string {
  return execFileSync('git', args, {
    cwd,
    input,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: cwd, GIT_CONFIG_GLOBAL: '/dev/null', ...env },
  }).trim();
}

export class TestRepo {
  /** Seconds added to the base date per commit, so committer dates strictly increase. */
  private tick = 0;

  constructor(readonly dir: string) {}

  static init(dir = tempDir(), bare = false): TestRepo {
    git(dir, ['init', '-q', '-b', 'main', ...(bare ? ['--bare'] : [])]);
    // Appended as `git config` would write it: one git process per repository, not four (the
    // suite builds hundreds of repositories, and each spawn forks a large test worker).
    fs.appendFileSync(path.join(dir, bare ? '' : '.git', 'config'), REPO_CONFIG);
    return new TestRepo(dir);
  }

  git(args: string[], env: NodeJS.ProcessEnv = {}, input?: string): string {
    return git(this.dir, args, env, input);
  }

  /** Writes (string or bytes) or deletes (null) files; paths may contain any byte but "/" separators. */
  write(files: Record<string, string | Buffer | null>): void {
    for (const [name, content] of Object.entries(files)) {
      const file = path.join(this.dir, name);
      if (content === null) fs.rmSync(file, { force: true });
      else {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content);
      }
    }
  }

  /** The next date: 2021-01-01 plus one day per commit, in the +01:00 zone. */
  nextDate(): string {
    const d = new Date(Date.UTC(2021, 0, 1, 9, 0, 0) + this.tick++ * 86_400_000);
    return `${d.toISOString().slice(0, 19)}+0100`;
  }

  dateEnv(author: Author, date: string): NodeJS.ProcessEnv {
    return { GIT_AUTHOR_NAME: author.name, GIT_AUTHOR_EMAIL: author.email, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  }

  /** Stages everything and commits; returns the commit id and its author date as git prints it. */
  commit(message: string, author: Author, files: Record<string, string | Buffer | null> = {}, extra: string[] = []): Commit {
    this.write(files);
    this.git(['add', '-A']);
    const date = this.nextDate();
    // The summary line names the full commit id ("[main (root-commit) <oid>] message"): no
    // `git log` afterwards to learn it.
    const summary = this.git(['-c', 'core.abbrev=no', 'commit', '--allow-empty', '-m', message, ...extra], this.dateEnv(author, date));
    const oid = /^\[[^\]]* ([0-9a-f]{40})\]/.exec(summary)?.[1];
    if (!oid || extra.some((arg) => arg.startsWith('--date'))) return this.head(author);
    return { oid, date: isoDate(date), author };
  }

  head(author: Author): Commit {
    const [oid, isoDate] = this.git(['log', '-1', '--format=%H %aI']).split(' ');
    return { oid, date: isoDate, author };
  }
}

const REPO_CONFIG = '[user]\n\tname = Test Runner\n\temail = runner@example.org\n[commit]\n\tgpgsign = false\n';

/** A date as nextDate() writes it ("…T09:00:00+0100"), as git's %aI prints it ("…T09:00:00+01:00"). */
function isoDate(date: string): string {
  return date.replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
}

export interface Commit {
  oid: string;
  date: string;
  author: Author;
}

/** The loose object file of `oid`, to delete it and simulate a damaged repository. */
export function looseObjectPath(gitDir: string, oid: string): string {
  return path.join(gitDir, 'objects', oid.slice(0, 2), oid.slice(2));
}
