// Reads one object (version) as text, streaming the body so an object over the size limit is
// abandoned as soon as it goes over, and a body shorter than announced is caught.
import type { S3Connection } from './client.js';
import type { ObjectEntry } from './list.js';
import { isBrokenConnection, withRetries, type RetryOptions } from './retry.js';

export class ObjectReadError extends Error {
  constructor(
    readonly kind: 'too-large' | 'truncated',
    message: string,
  ) {
    super(message);
    this.name = kind === 'too-large' ? 'ObjectTooLarge' : 'TruncatedBody';
  }
}

async function readOnce(s3: S3Connection, bucket: string, entry: ObjectEntry, maxBytes: number): Promise<string> {
  const response = await s3.client.send(new s3.sdk.GetObjectCommand({ Bucket: bucket, Key: entry.key, VersionId: entry.versionId }));
  const body = response.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
  const expected = response.ContentLength;
  if (expected !== undefined && expected > maxBytes) {
    body?.destroy?.();
    throw new ObjectReadError('too-large', `${expected} bytes is over --max-object-size ${maxBytes}; not scanned`);
  }
  const parts: Uint8Array[] = [];
  let total = 0;
  if (body) {
    for await (const part of body) {
      total += part.length;
      if (total > maxBytes) {
        body.destroy?.();
        throw new ObjectReadError('too-large', `over --max-object-size ${maxBytes} bytes; not scanned`);
      }
      parts.push(part);
    }
  }
  if (expected !== undefined && total !== expected) {
    throw new ObjectReadError('truncated', `body ended after ${total} of ${expected} bytes`);
  }
  return Buffer.concat(parts, total).toString('utf8');
}

/** The object's text; throws SDK errors (AccessDenied, NoSuchKey...) or ObjectReadError. */
export function readObjectText(s3: S3Connection, bucket: string, entry: ObjectEntry, maxBytes: number, retry: RetryOptions): Promise<string> {
  return withRetries(() => readOnce(s3, bucket, entry, maxBytes), retry, (err) =>
    err instanceof ObjectReadError ? err.kind === 'truncated' : isBrokenConnection(err),
  );
}
