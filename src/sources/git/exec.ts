// Runs the git CLI. Every call pins the options that would otherwise let a user's config
// change the output we parse (quoted paths, colours, external diff drivers, lazy fetches).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { closeSync, fstatSync, openSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFullySync } from '../../read-fully.js';

const PINNED_CONFIG = ['-c', 'core.quotePath=false', '-c', 'color.ui=never', '-c', 'core.fsmonitor=false'];

/**
 * glibc's allocator, for a git child: keep 16 MB spare at the top of the heap instead of
 * returning freed memory at once. git diffing a history frees and grows its heap for every
 * blob, and each regrowth is fresh pages the kernel must fault in and zero; on a virtual
 * machine a fault costs ~18 us, and git log -p on 4,000 commits of git/git took 106,000 faults
 * and 5.7 CPU-s by default, 37,000 and 3.0 CPU-s with this, at the same peak RSS. Ignored by
 * any other C library; a user's own GLIBC_TUNABLES wins.
 */
export const GIT_MALLOC_TUNABLES = 'glibc.malloc.top_pad=16777216:glibc.malloc.trim_threshold=67108864';

/** Environment for git children: no pager, no prompts, no network fetch of missing objects. */
function gitEnv(): NodeJS.ProcessEnv {
  return {
    GLIBC_TUNABLES: GIT_MALLOC_TUNABLES,
    ...process.env,
    GIT_PAGER: 'cat',
    GIT_TERMINAL_PROMPT: '0',
    GIT_NO_LAZY_FETCH: '1',
    GIT_OPTIONAL_LOCKS: '0',
    LC_ALL: 'C',
  };
}

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/**
 * For commands that diff commits (never the index): an index file that does not exist. git
 * diffs a blob it cannot read by reading the worktree file instead when the index says the
 * file is that blob, unchanged; a missing object then goes unnoticed. With no index, git reads
 * every blob from the object store, and fails on one it does not have.
 */
export const OBJECTS_ONLY_ENV: NodeJS.ProcessEnv = { GIT_INDEX_FILE: join(tmpdir(), `leaksweep-no-index-${process.pid}-${process.hrtime.bigint()}`) };

/** Starts `git -C repo <args>`; the caller consumes stdout as a stream. */
/**
 * git maps its pack files whole by default, so on a large repository the pages it touches make
 * its resident size grow with the history; a bounded pack window keeps each process flat
 * (on git/git: 150 MB for 12,000 commits instead of 530 MB for all of them). The bound is not
 * tight: each window git drops and maps again is unmapped and faulted in anew. On git/git's whole
 * history, 96 MB cost git's processes 820,000 page faults and 27 s of system time; 192 MB,
 * 747,000 and 14 s, with the largest at 208 MB resident (256 MB: 295 MB, too near the 300 MB
 * a sweep may take).
 */
export const BOUNDED_PACK_WINDOWS = ['-c', 'core.packedGitLimit=192m', '-c', 'core.packedGitWindowSize=16m'];

export function spawnGit(repo: string, args: string[], env: NodeJS.ProcessEnv = {}, stdoutFd?: number): ChildProcessWithoutNullStreams {
  // With `stdoutFd` (see RunGitOptions.outputToFile) the child's stdout is that file and `stdout` is null.
  return spawn('git', ['-C', repo, ...PINNED_CONFIG, ...args], { env: { ...gitEnv(), ...env }, stdio: ['pipe', stdoutFd ?? 'pipe', 'pipe'] }) as ChildProcessWithoutNullStreams;
}

/** What git said on stderr as one line (a report's error is one line): its distinct lines joined by "; ". */
export function gitMessage(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return [...new Set(lines)].join('; ');
}

export interface RunGitOptions {
  input?: string | Buffer;
  /**
   * git writes its output to an unlinked temporary file instead of a pipe, read when it exits:
   * a pipe holds 64 KB, and git waits at a full one while the main thread is busy elsewhere
   * (rev-list, started beside the rules and the scan cache loading, waited for them).
   */
  outputToFile?: boolean;
}

let outputFiles = 0;

/** An open, already unlinked file for a child's output (nothing to clean up), or undefined. */
function outputFile(): number | undefined {
  const path = join(tmpdir(), `leaksweep-git-out-${process.pid}-${process.hrtime.bigint()}-${outputFiles++}`);
  try {
    const fd = openSync(path, 'wx+', 0o600);
    unlinkSync(path);
    return fd;
  } catch {
    return undefined;
  }
}

function readOutputFile(fd: number): Buffer {
  try {
    // From its start: the descriptor's own offset is where git stopped writing.
    const out = Buffer.allocUnsafe(fstatSync(fd).size);
    return out.subarray(0, readFullySync(fd, out, 0));
  } finally {
    closeSync(fd);
  }
}

/** Runs git to completion, collecting its (small) output, stderr as one line. Never rejects on a non-zero exit. */
export function runGit(repo: string, args: string[], input?: string | Buffer, options: RunGitOptions = {}): Promise<GitResult> {
  return new Promise((resolve) => {
    const fd = options.outputToFile ? outputFile() : undefined;
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawnGit(repo, args, {}, fd);
    } catch (err) {
      if (fd !== undefined) closeSync(fd);
      resolve({ code: -1, stdout: Buffer.alloc(0), stderr: (err as Error).message });
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let outputRead = false;
    const output = (): Buffer => {
      if (fd === undefined) return Buffer.concat(out);
      if (outputRead) return Buffer.alloc(0);
      outputRead = true;
      return readOutputFile(fd);
    };
    child.on('error', (e) => {
      output();
      resolve({ code: -1, stdout: Buffer.alloc(0), stderr: e.message });
    });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: output(), stderr: gitMessage(Buffer.concat(err).toString('utf8')) }));
    child.stdin.on('error', () => {}); // git may exit before reading all of its input
    child.stdin.end(input);
  });
}

/** `git --version` as [major, minor], or undefined when there is no runnable git. */
export async function gitVersion(): Promise<[number, number] | undefined> {
  const result = await runGit('.', ['--version']);
  const m = /git version (\d+)\.(\d+)/.exec(result.stdout.toString('utf8'));
  return result.code === 0 && m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** True when a git CLI at least `major.minor` is on PATH. */
export async function hasGitAtLeast(major: number, minor: number): Promise<boolean> {
  const v = await gitVersion();
  return v !== undefined && (v[0] > major || (v[0] === major && v[1] >= minor));
}

/** The object id named in a git error ("unable to read 1f2e…", "bad object 1f2e…"), if any. */
export function objectInGitError(stderr: string): string | undefined {
  return /(?:unable to read(?: tree| blob)?|bad object|missing (?:blob|tree|object)|could not read|could not fetch|invalid object)\s+\(?([0-9a-f]{40,64})/i.exec(stderr)?.[1];
}
