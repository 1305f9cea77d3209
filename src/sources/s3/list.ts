// Lists the objects (or every object version) under a prefix, page by page. The SDK retries
// throttled and failed pages itself.
import type { S3Connection } from './client.js';

export interface ObjectEntry {
  key: string;
  /** Set when listing versions. */
  versionId?: string;
  etag?: string;
  size: number;
  /** ISO 8601. */
  lastModified?: string;
}

export interface ListPage {
  entries: ObjectEntry[];
  /** Delete markers seen on this page: the versions behind them are listed all the same. */
  deleteMarkers: number;
}

function iso(date: Date | undefined): string | undefined {
  return date ? date.toISOString() : undefined;
}

export async function* listObjects(s3: S3Connection, bucket: string, prefix: string): AsyncGenerator<ListPage> {
  let continuation: string | undefined;
  do {
    const page = await s3.client.send(new s3.sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: continuation }));
    const entries = (page.Contents ?? []).flatMap((o) =>
      o.Key === undefined ? [] : [{ key: o.Key, etag: o.ETag, size: o.Size ?? 0, lastModified: iso(o.LastModified) }],
    );
    yield { entries, deleteMarkers: 0 };
    continuation = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (continuation);
}

export async function* listVersions(s3: S3Connection, bucket: string, prefix: string): AsyncGenerator<ListPage> {
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  for (;;) {
    const page = await s3.client.send(
      new s3.sdk.ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix || undefined, KeyMarker: keyMarker, VersionIdMarker: versionMarker }),
    );
    const entries = (page.Versions ?? []).flatMap((v) =>
      v.Key === undefined
        ? []
        : [{ key: v.Key, versionId: v.VersionId, etag: v.ETag, size: v.Size ?? 0, lastModified: iso(v.LastModified) }],
    );
    yield { entries, deleteMarkers: page.DeleteMarkers?.length ?? 0 };
    if (!page.IsTruncated) return;
    keyMarker = page.NextKeyMarker;
    versionMarker = page.NextVersionIdMarker;
  }
}
