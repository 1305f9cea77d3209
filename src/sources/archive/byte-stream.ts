// Pull-based byte streams for the archive walker: peek at a member's first bytes to sniff its
// format, then read the rest exactly once. Stopping early never destroys a tar entry (that
// would destroy the whole tar-stream extractor): it drains it instead.

/** The bits of a Node or streamx Readable that we use. */
interface ReadableLike {
  on(event: string, listener: (...args: any[]) => void): unknown;
  removeListener?(event: string, listener: (...args: any[]) => void): unknown;
  off?(event: string, listener: (...args: any[]) => void): unknown;
  pause(): unknown;
  resume(): unknown;
  destroy(err?: Error): unknown;
}

/**
 * Buffers of a readable stream, one at a time, under backpressure. `onStop` says what happens
 * when the reader stops before the end: `destroy` (independent streams: zlib, yauzl) or
 * `drain` (tar entries, which must be consumed for the next entry to arrive).
 */
export function chunksOf(stream: ReadableLike, onStop: 'destroy' | 'drain'): AsyncIterableIterator<Buffer> {
  const queue: Buffer[] = [];
  let ended = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const onData = (b: Buffer | Uint8Array | string): void => {
    queue.push(typeof b === 'string' ? Buffer.from(b) : Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    stream.pause();
    notify();
  };
  const onEnd = (): void => {
    ended = true;
    notify();
  };
  const onError = (err: Error): void => {
    failure ??= err instanceof Error ? err : new Error(String(err));
    notify();
  };
  stream.on('data', onData);
  stream.on('end', onEnd);
  stream.on('error', onError);
  stream.on('close', onEnd);
  let finished = false;
  const stop = (): void => {
    if (finished) return;
    finished = true;
    const off = (stream.removeListener ?? stream.off)?.bind(stream);
    off?.('data', onData);
    if (onStop === 'destroy') {
      stream.destroy();
    } else {
      stream.on('data', () => undefined);
      stream.resume();
    }
  };
  const iterator: AsyncIterableIterator<Buffer> = {
    [Symbol.asyncIterator]: () => iterator,
    async next(): Promise<IteratorResult<Buffer>> {
      for (;;) {
        if (queue.length > 0) return { value: queue.shift()!, done: false };
        if (failure) {
          stop();
          throw failure;
        }
        if (ended || finished) {
          finished = true;
          return { value: undefined, done: true };
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          stream.resume();
        });
      }
    },
    async return(): Promise<IteratorResult<Buffer>> {
      stop();
      return { value: undefined, done: true };
    },
  };
  return iterator;
}

/** A byte source whose first bytes can be inspected before it is consumed. */
export class PeekableBytes implements AsyncIterable<Buffer> {
  private readonly head: Buffer[] = [];
  private headLength = 0;
  private done = false;
  private failure: { err: unknown } | undefined;

  constructor(private readonly source: AsyncIterator<Buffer>) {}

  static of(iterable: AsyncIterable<Buffer>): PeekableBytes {
    return iterable instanceof PeekableBytes ? iterable : new PeekableBytes(iterable[Symbol.asyncIterator]());
  }

  /** Up to `n` first bytes (fewer at end of input). Reads ahead, never consumes. */
  async peek(n: number): Promise<Buffer> {
    while (this.headLength < n && !this.done && !this.failure) {
      let r: IteratorResult<Buffer>;
      try {
        r = await this.source.next();
      } catch (err) {
        // Keep what arrived before the failure readable; the error comes after it.
        this.failure = { err };
        break;
      }
      if (r.done) this.done = true;
      else if (r.value.length > 0) {
        this.head.push(r.value);
        this.headLength += r.value.length;
      }
    }
    const all = this.head.length === 1 ? this.head[0] : Buffer.concat(this.head);
    if (this.head.length > 1) this.head.splice(0, this.head.length, all);
    return all ? all.subarray(0, n) : Buffer.alloc(0);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    try {
      while (this.head.length > 0) {
        const b = this.head.shift()!;
        this.headLength -= b.length;
        yield b;
      }
      if (this.failure) {
        this.done = true;
        throw this.failure.err;
      }
      while (!this.done) {
        const r = await this.source.next();
        if (r.done) this.done = true;
        else yield r.value;
      }
    } finally {
      // Reached on early exit too: let the underlying stream stop (destroy or drain).
      if (!this.done) {
        this.done = true;
        await this.source.return?.();
      }
    }
  }

  /** Stops the underlying stream without reading further. */
  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.source.return?.();
  }
}

/** The bits of a Node or streamx Writable that `feed` uses. */
export interface WritableLike {
  write(chunk: Buffer): boolean;
  end(): unknown;
  destroy(err?: Error): unknown;
  readonly destroyed: boolean;
  once(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
  /** zlib streams: process and emit everything written so far. */
  flush?: (callback: () => void) => void;
}

/**
 * Pumps `bytes` into `sink` under backpressure, in the background. A failure of the source
 * destroys the sink with that error (mapped by `wrap`), so whoever reads the sink sees it.
 * Returns a function that stops pumping.
 */
export function feed(bytes: AsyncIterable<Buffer>, sink: WritableLike, wrap: (err: unknown) => Error): () => Promise<void> {
  const source = bytes[Symbol.asyncIterator]();
  let stopped = false;
  const writable = (): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        sink.off('drain', done);
        sink.off('close', done);
        resolve();
      };
      sink.once('drain', done);
      sink.once('close', done);
    });
  const pumping = (async () => {
    try {
      for (;;) {
        if (stopped || sink.destroyed) return;
        const r = await source.next();
        if (r.done) break;
        if (stopped || sink.destroyed) return;
        if (!sink.write(r.value)) await writable();
      }
      if (!sink.destroyed) sink.end();
    } catch (err) {
      // Let a decompressor finish what it was given (the text before a cut is still scanned), then fail it.
      if (!sink.destroyed && typeof sink.flush === 'function') {
        const flush = sink.flush.bind(sink);
        await new Promise<void>((resolve) => {
          sink.once('close', resolve);
          sink.once('error', resolve);
          flush(() => resolve());
        });
      }
      if (!sink.destroyed) sink.destroy(wrap(err));
    } finally {
      await source.return?.();
    }
  })();
  return async () => {
    stopped = true;
    if (!sink.destroyed) sink.destroy();
    await pumping;
  };
}
