// SHA-256, with node:crypto loaded on first use rather than at import: loading it costs a
// pre-commit hook several milliseconds of start-up, and a clean staged scan hashes nothing.
import type { BinaryToTextEncoding } from 'node:crypto';
import { onFirstUse } from './lazy-require.js';

/** node:crypto, loaded on first use. */
export const crypto = onFirstUse<typeof import('node:crypto')>('node:crypto');

/** SHA-256 of the UTF-8 text, hex by default. */
export function sha256(text: string, encoding: BinaryToTextEncoding = 'hex'): string {
  return crypto().createHash('sha256').update(text).digest(encoding);
}
