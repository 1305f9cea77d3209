// The added content of one commit computed from objects (trees and blobs) rather than from
// git's patch output: the whole JS backend, and the CLI backend's retry of a commit whose
// patch git could not produce (a missing blob makes `git diff-tree -p` die).
import { looksBinary } from '../file-reader.js';
import type { SourceEvent } from '../source.js';
import { addedLineIndices, intersectSorted } from './added-lines.js';
import { gitMessage } from './exec.js';
import { MissingObjectError } from './missing-object.js';
import { additionEvents, commitOrigin, exactLineToText, splitLinesExact, wantsWholeDocument, wholeDocumentEvent, type CommitMeta } from './content.js';

/** A file that exists in the commit and differs from the parent (deletions are left out). */
export interface TreeChange {
  path: string;
  oldPath?: string;
  /** Absent when the file is new (or changed type) relative to the parent. */
  oldOid?: string;
  newOid: string;
}

export interface ObjectReader {
  /** Files changed from `parent` (undefined: the empty tree) to `commit`; throws MissingObjectError. */
  changes(parent: string | undefined, commit: string): Promise<TreeChange[]>;
  /** A blob's bytes; throws MissingObjectError. */
  readBlob(oid: string): Promise<Uint8Array>;
}

/** Reports each unreadable object once per scan, however many commits refer to it. */
export class ObjectErrors {
  private readonly seen = new Set<string>();
  count = 0;

  report(commit: string, oid: string, path: string | undefined, detail: string): SourceEvent | undefined {
    if (this.seen.has(oid)) return undefined;
    this.seen.add(oid);
    this.count++;
    const what = path ? `${path} (object ${oid})` : `object ${oid}`;
    return { type: 'error', error: { kind: 'git', path: path ?? oid, message: `commit ${commit}: cannot read ${what}: ${gitMessage(detail)}` } };
  }
}

async function readOrReport(reader: ObjectReader, oid: string, commit: string, path: string, errors: ObjectErrors): Promise<Uint8Array | SourceEvent | undefined> {
  try {
    return await reader.readBlob(oid);
  } catch (err) {
    return errors.report(commit, oid, path, (err as Error).message);
  }
}

/**
 * Events for the content `commit` adds. A merge adds only what is new relative to every
 * parent (what `git diff-tree --cc` marks "++"): lines taken from a parent were scanned in
 * the commit that added them. `skip` lists paths already handled by the caller.
 */
export async function* commitEvents(commit: CommitMeta, reader: ObjectReader, errors: ObjectErrors, skip?: ReadonlySet<string>): AsyncGenerator<SourceEvent> {
  const parents = commit.parents.length > 0 ? commit.parents : [undefined];
  let perParent: Map<string, TreeChange>[];
  try {
    perParent = await Promise.all(parents.map(async (p) => new Map((await reader.changes(p, commit.oid)).map((c) => [c.path, c]))));
  } catch (err) {
    const oid = err instanceof MissingObjectError ? err.oid : commit.oid;
    const event = errors.report(commit.oid, oid, undefined, (err as Error).message);
    if (event) yield event;
    if (commit.parents.length === 0) return;
    // A parent's tree is unreadable, the commit's own may not be: all of it counts as added.
    try {
      perParent = [new Map((await reader.changes(undefined, commit.oid)).map((c) => [c.path, c]))];
    } catch {
      return;
    }
  }
  for (const change of perParent[0].values()) {
    const { path } = change;
    if (skip?.has(path) || !perParent.every((m) => m.has(path))) continue;
    const newer = await readOrReport(reader, change.newOid, commit.oid, path, errors);
    if (!(newer instanceof Uint8Array)) {
      if (newer) yield newer;
      continue;
    }
    if (looksBinary(newer)) {
      yield { type: 'skip', path, reason: 'binary' };
      continue;
    }
    const newLines = splitLinesExact(newer);
    const perParentAdded: number[][] = [];
    let binary = false;
    for (const m of perParent) {
      const oldOid = m.get(path)!.oldOid;
      const older = oldOid ? await readOrReport(reader, oldOid, commit.oid, m.get(path)!.oldPath ?? path, errors) : undefined;
      if (older instanceof Uint8Array && looksBinary(older)) binary = true;
      if (!(older instanceof Uint8Array)) {
        if (older) yield older;
        // Unknown or no old version: everything in the new one counts as added.
        perParentAdded.push(newLines.map((_, i) => i));
      } else perParentAdded.push(addedLineIndices(splitLinesExact(older), newLines));
    }
    if (binary) {
      yield { type: 'skip', path, reason: 'binary' };
      continue;
    }
    const added = intersectSorted(perParentAdded);
    if (added.length === 0) continue;
    const origin = commitOrigin(commit, path);
    if (wantsWholeDocument(path)) yield wholeDocumentEvent(origin, newer, change.newOid);
    else
      yield* additionEvents(
        origin,
        added.map((i) => exactLineToText(newLines[i])),
        added.map((i) => i + 1),
      );
  }
}
