// A long-lived `git cat-file --batch` process: object reads by id, one round trip each,
// without a process per object.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { MissingObjectError } from './missing-object.js';
import { BOUNDED_PACK_WINDOWS, gitMessage, spawnGit } from './exec.js';

interface Pending {
  oid: string;
  resolve: (bytes: Buffer | undefined) => void;
  reject: (err: Error) => void;
}

export class CatFile {
  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly queue: Pending[] = [];
  private buffer = Buffer.alloc(0);
  /** Pieces received while waiting for a large object; joined once it is complete. */
  private pieces: Buffer[] = [];
  private waitingFor = 0;
  private stderr = '';
  /** Object ids asked for and not yet written: written together once the caller has asked for all it wants now. */
  private unsent = '';

  constructor(private readonly repo: string) {}

  /** The object's content, or undefined when the repository does not have it. */
  read(oid: string): Promise<Buffer | undefined> {
    const child = this.start();
    return new Promise((resolve, reject) => {
      this.queue.push({ oid, resolve, reject });
      // One write per turn, not per object: a probe of a window of merges asks for dozens at once.
      if (this.unsent === '') queueMicrotask(() => this.send(child));
      this.unsent += `${oid}\n`;
    });
  }

  private send(child: ChildProcessWithoutNullStreams): void {
    const lines = this.unsent;
    this.unsent = '';
    child.stdin.write(lines);
  }

  /** The object's content; throws MissingObjectError when it is missing or unreadable. */
  async readExisting(oid: string): Promise<Buffer> {
    let bytes: Buffer | undefined;
    try {
      bytes = await this.read(oid);
    } catch (err) {
      throw new MissingObjectError(oid, (err as Error).message);
    }
    if (!bytes) throw new MissingObjectError(oid, 'object is missing or corrupt');
    return bytes;
  }

  close(): void {
    if (this.child && this.unsent !== '') this.send(this.child);
    this.child?.stdin.end();
    this.child = undefined;
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawnGit(this.repo, [...BOUNDED_PACK_WINDOWS, 'cat-file', '--batch']);
    child.stdout.on('data', (data: Buffer) => {
      this.pieces.push(data);
      const available = this.buffer.length + this.pieces.reduce((n, p) => n + p.length, 0);
      if (available < this.waitingFor) return;
      this.buffer = Buffer.concat([this.buffer, ...this.pieces]);
      this.pieces = [];
      this.parse();
    });
    child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString('utf8')));
    child.stdin.on('error', () => {});
    child.on('close', () => {
      const err = new Error(`git cat-file exited: ${gitMessage(this.stderr) || 'no output'}`);
      for (const p of this.queue.splice(0)) p.reject(err);
      if (this.child === child) this.child = undefined;
    });
    child.on('error', (e) => {
      for (const p of this.queue.splice(0)) p.reject(e);
    });
    this.child = child;
    return child;
  }

  private parse(): void {
    for (;;) {
      const head = this.queue[0];
      const nl = this.buffer.indexOf(10);
      if (!head || nl < 0) return;
      const header = this.buffer.subarray(0, nl).toString('utf8');
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
        this.queue.shift();
        this.buffer = this.buffer.subarray(nl + 1);
        head.resolve(undefined);
        continue;
      }
      const size = Number(header.slice(header.lastIndexOf(' ') + 1));
      this.waitingFor = nl + 1 + size + 1;
      if (this.buffer.length < this.waitingFor) return; // wait for the whole object
      this.waitingFor = 0;
      // No copy: every caller decodes or diffs the bytes at once and lets them go.
      const content = this.buffer.subarray(nl + 1, nl + 1 + size);
      this.buffer = this.buffer.subarray(nl + 1 + size + 1);
      this.queue.shift();
      head.resolve(content);
    }
  }
}
