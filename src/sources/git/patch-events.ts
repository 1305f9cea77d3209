// Turns one file of a parsed patch into scanner events: binary files are skipped, submodules
// and deletions add nothing, Terraform state is read whole, the rest is its added lines.
import type { Origin } from '../../types.js';
import type { SourceEvent } from '../source.js';
import { additionEvents, wantsWholeDocument, wholeDocumentEvent } from './content.js';
import type { FilePatch } from './patch-parser.js';

export interface BlobAccess {
  readBlob(oid: string): Promise<Uint8Array>;
  /** The event for a blob that could not be read (undefined when already reported). */
  unreadable(oid: string, origin: Origin, err: Error): SourceEvent | undefined;
}

export async function* patchFileEvents(file: FilePatch, origin: Origin, blobs: BlobAccess): AsyncGenerator<SourceEvent> {
  if (file.binary) {
    yield { type: 'skip', path: file.path, reason: 'binary' };
    return;
  }
  if (file.submodule || file.deleted || file.added.length === 0) return;
  if (!wantsWholeDocument(file.path) || !file.newOid) {
    yield* additionEvents(origin, file.added, file.lineMap, file.versions);
    return;
  }
  try {
    yield wholeDocumentEvent(origin, await blobs.readBlob(file.newOid), file.newOid);
  } catch (err) {
    const event = blobs.unreadable(file.newOid, origin, err as Error);
    if (event) yield event;
  }
}
