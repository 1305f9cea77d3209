// Retries with exponential backoff and jitter for failures that go away by themselves. The SDK
// already retries requests (throttling, 5xx, timeouts: its `maxAttempts`); what it cannot retry
// is a response body that breaks while we stream it, which is what this is for.

export interface RetryOptions {
  /** Total tries, the first included. */
  attempts: number;
  /** Delay before the second try; doubles each time, with up to 50% jitter. */
  baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 3, baseDelayMs: 200 };

const BROKEN_CONNECTION = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'ABORT_ERR']);

/** A connection that broke outside a request the SDK would retry (not a service's answer). */
export function isBrokenConnection(err: unknown): boolean {
  if (typeof err !== 'object' || err === null || '$metadata' in err) return false;
  return BROKEN_CONNECTION.has((err as { code?: string }).code ?? '');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function withRetries<T>(run: () => Promise<T>, options: RetryOptions, retryable: (err: unknown) => boolean): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (attempt >= options.attempts || !retryable(err)) throw err;
      const delay = options.baseDelayMs * 2 ** (attempt - 1);
      await sleep(delay + Math.random() * delay * 0.5);
    }
  }
}
