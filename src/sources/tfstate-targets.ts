// Terraform state targets as sources: local files and folders, and s3://bucket[/prefix] URLs.
// The AWS SDK is loaded only when there is an S3 target: it is large and most scans never need it.
import type { Source } from './source.js';
import { parseS3Url, type S3Target } from './s3/target.js';
import { TfstateSource } from './tfstate.js';

export interface TfstateTargetOptions {
  /** Folder that local report paths are relative to (default: the current directory). */
  root?: string;
  allVersions?: boolean;
  allKeys?: boolean;
  workspaceKeyPrefix?: string;
  region?: string;
  endpoint?: string;
  profile?: string;
  forcePathStyle?: boolean;
  /** Objects fetched at once. */
  jobs?: number;
  maxObjectSize?: number;
}

export class TargetError extends Error {}

export interface OpenSources {
  sources: Source[];
  /** Releases the S3 client's connections. */
  close(): void;
}

export async function tfstateSources(targets: string[], options: TfstateTargetOptions = {}): Promise<OpenSources> {
  const paths: string[] = [];
  const buckets: S3Target[] = [];
  for (const target of targets) {
    if (!target.startsWith('s3://')) {
      paths.push(target);
      continue;
    }
    const parsed = parseS3Url(target);
    if (!parsed) throw new TargetError(`"${target}" is not an s3://bucket[/prefix] URL`);
    buckets.push(parsed);
  }
  const sources: Source[] = paths.length > 0 ? [new TfstateSource({ paths, root: options.root })] : [];
  if (buckets.length === 0) return { sources, close: () => {} };
  const [{ connectS3 }, { S3Source }] = await Promise.all([import('./s3/client.js'), import('./s3/source.js')]);
  const connection = await connectS3({ region: options.region, endpoint: options.endpoint, profile: options.profile, forcePathStyle: options.forcePathStyle });
  sources.push(
    new S3Source({
      targets: buckets,
      connection,
      allVersions: options.allVersions,
      anyKey: options.allKeys,
      workspaceKeyPrefix: options.workspaceKeyPrefix,
      jobs: options.jobs,
      maxObjectSize: options.maxObjectSize,
    }),
  );
  return { sources, close: () => connection.client.destroy() };
}
