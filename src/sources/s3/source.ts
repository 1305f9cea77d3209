// `leaksweep tfstate s3://bucket[/prefix]`: Terraform state objects in S3, the current ones or
// (--all-versions) every version, noncurrent ones and those behind delete markers included.
//
// The GET is the cost, so content is fetched once: versions with the same ETag and size (what
// Terraform writes when a state does not change) share one GET, and the text is yielded once
// per version with that version's origin — detection is cheap next to a round trip, and each
// version must appear as a location of the findings it holds. At most `jobs` objects are
// fetched at once, and a body is held only until its chunks are handed on.
import type { Origin, ScanError } from '../../types.js';
import type { Source, SourceContext, SourceEvent, UnitLookup } from '../source.js';
import { s3Unit } from '../../cache/units.js';
import type { S3Connection } from './client.js';
import { ObjectReadError, readObjectText } from './fetch.js';
import { listObjects, listVersions, type ObjectEntry } from './list.js';
import { DEFAULT_RETRY, type RetryOptions } from './retry.js';
import { DEFAULT_WORKSPACE_KEY_PREFIX, isStateKey, isUnderPrefix, workspaceOfKey, type S3Target } from './target.js';

export const DEFAULT_S3_JOBS = 8;
export const DEFAULT_MAX_OBJECT_SIZE = 100 * 1024 * 1024;

export interface S3SourceOptions {
  targets: S3Target[];
  connection: S3Connection;
  /** List and scan every object version, not only the current objects. */
  allVersions?: boolean;
  /** Take every object but lock files, not only `*.tfstate` keys. */
  anyKey?: boolean;
  workspaceKeyPrefix?: string;
  /** Objects fetched at once (and bodies held at most). */
  jobs?: number;
  maxObjectSize?: number;
  retry?: RetryOptions;
}

function describe(err: unknown): string {
  const e = err as { name?: string; message?: string; Code?: string; code?: string };
  // A plain Error (a socket that broke: "aborted") says more by its code than by "Error".
  const name = e.Code ?? (e.name && e.name !== 'Error' ? e.name : (e.code ?? 'connection failed'));
  return e.message && e.message !== name ? `${name}: ${e.message}` : name;
}

export class S3Source implements Source {
  readonly name = 's3';
  private readonly workspaceKeyPrefix: string;

  constructor(private readonly options: S3SourceOptions) {
    this.workspaceKeyPrefix = options.workspaceKeyPrefix ?? DEFAULT_WORKSPACE_KEY_PREFIX;
  }

  async *events(context: SourceContext = {}): AsyncIterable<SourceEvent> {
    for (const target of this.options.targets) yield* this.scanTarget(target, context.cache);
  }

  /** Prefixes to list: the target's, and the workspace folder whose keys may fall under it. */
  private listPrefixes(target: S3Target): string[] {
    const workspaces = `${this.workspaceKeyPrefix}/`;
    if (target.prefix === '' || target.prefix.startsWith(workspaces)) return [target.prefix];
    return [target.prefix, workspaces];
  }

  private objectIssue(bucket: string, entry: ObjectEntry, message: string): ScanError {
    const version = entry.versionId ? `version ${entry.versionId}: ` : '';
    return { kind: 's3', path: `s3://${bucket}/${entry.key}`, message: `${version}${message}` };
  }

  private objectError(bucket: string, entry: ObjectEntry, message: string): SourceEvent {
    return { type: 'error', error: this.objectIssue(bucket, entry, message) };
  }

  /**
   * On a cached sweep, object versions the cache holds (same key, versionId and ETag) are not
   * fetched: only listed. Versions no longer listed drop out of the cache.
   */
  private async *scanTarget(target: S3Target, cache?: UnitLookup): AsyncIterable<SourceEvent> {
    const { bucket } = target;
    const maxBytes = this.options.maxObjectSize ?? DEFAULT_MAX_OBJECT_SIZE;
    // Entries with the same content, in listing order of their first member.
    const groups = new Map<string, ObjectEntry[]>();
    const seen = new Set<string>();
    let listed = 0;
    let cachedVersions = 0;
    let deleteMarkers = 0;
    const list = this.options.allVersions ? listVersions : listObjects;
    for (const prefix of this.listPrefixes(target)) {
      try {
        for await (const page of list(this.options.connection, bucket, prefix)) {
          deleteMarkers += page.deleteMarkers;
          for (const entry of page.entries) {
            const id = `${entry.key}\0${entry.versionId ?? ''}`;
            if (seen.has(id) || !isStateKey(entry.key, this.options.anyKey)) continue;
            if (!isUnderPrefix(entry.key, target.prefix, this.workspaceKeyPrefix)) continue;
            seen.add(id);
            listed++;
            if (entry.size > maxBytes) {
              yield this.objectError(bucket, entry, `${entry.size} bytes is over --max-object-size ${maxBytes}; not scanned`);
              continue;
            }
            const unit = cache && s3Unit(bucket, entry.key, entry.versionId, entry.etag);
            if (unit && cache.has(unit)) {
              cachedVersions++;
              yield { type: 'units', units: [unit], state: 'cached' };
              continue;
            }
            const content = entry.etag ? `${entry.etag}\0${entry.size}` : id;
            const group = groups.get(content);
            if (group) group.push(entry);
            else groups.set(content, [entry]);
          }
        }
      } catch (err) {
        // What was listed before the failure is still scanned.
        yield { type: 'error', error: { kind: 's3', path: `s3://${bucket}/${prefix}`, message: `listing failed: ${describe(err)}` } };
      }
    }
    yield { type: 'stat', name: 's3Objects', value: listed };
    if (cachedVersions > 0) yield { type: 'stat', name: 's3Cached', value: cachedVersions };
    if (deleteMarkers > 0) yield { type: 'stat', name: 's3DeleteMarkers', value: deleteMarkers };

    const queue = [...groups.values()];
    const jobs = Math.max(1, this.options.jobs ?? DEFAULT_S3_JOBS);
    const inFlight: Promise<SourceEvent[]>[] = [];
    let next = 0;
    const fill = (): void => {
      while (inFlight.length < jobs && next < queue.length) inFlight.push(this.fetchGroup(bucket, queue[next++], maxBytes, cache !== undefined));
    };
    fill();
    while (inFlight.length > 0) {
      const events = await inFlight.shift()!;
      fill();
      yield* events;
    }
  }

  /** One GET for a group of same-content entries; a chunk per entry (naming its cache unit `withUnits`), or an error per entry. */
  private async fetchGroup(bucket: string, group: ObjectEntry[], maxBytes: number, withUnits: boolean): Promise<SourceEvent[]> {
    const events: SourceEvent[] = [];
    for (let i = 0; i < group.length; i++) {
      let text: string;
      try {
        text = await readObjectText(this.options.connection, bucket, group[i], maxBytes, this.options.retry ?? DEFAULT_RETRY);
      } catch (err) {
        // Another version with the same content may still be readable (per-version permissions).
        events.push(this.objectError(bucket, group[i], err instanceof ObjectReadError ? err.message : describe(err)));
        continue;
      }
      events.push({ type: 'stat', name: 's3Gets', value: 1 });
      if (group.length - i > 1) events.push({ type: 'stat', name: 's3GetsSaved', value: group.length - i - 1 });
      const notState = !/^\uFEFF?\s*\{/.test(text.slice(0, 1024));
      for (const entry of group.slice(i)) {
        const unit = withUnits ? s3Unit(bucket, entry.key, entry.versionId, entry.etag) : undefined;
        // Read whole and scanned by the rules alone: a warning.
        if (notState) events.push({ type: 'warning', warning: { ...this.objectIssue(bucket, entry, 'not a JSON Terraform state; scanned as plain text'), kind: 'tfstate' } });
        events.push({ type: 'chunk', chunk: { text, origin: this.origin(bucket, entry), ...(unit ? { unit } : {}) } });
        // An object whose scan says something every time is read every time (the report then says it again).
        if (unit) events.push({ type: 'units', units: [unit], state: notState ? 'incomplete' : 'scanned' });
      }
      break;
    }
    return events;
  }

  private origin(bucket: string, entry: ObjectEntry): Origin {
    return {
      kind: 's3',
      path: `s3://${bucket}/${entry.key}`,
      object: entry.key,
      ...(entry.versionId ? { versionId: entry.versionId } : {}),
      ...(entry.lastModified ? { lastModified: entry.lastModified } : {}),
      workspace: workspaceOfKey(entry.key, this.workspaceKeyPrefix),
    };
  }
}
