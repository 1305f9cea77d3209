// Incremental history sweeps: which of the selected commits a cached sweep reads. A commit the
// scan cache holds is not read again (its findings come from the cache); every other selected
// commit is read by the backend as usual. Commits are named by their id, so a force-push or a
// rewritten history simply selects other commits: the new ones are read, and the cache keeps
// only commits this sweep selected, so findings held only by commits no longer reachable drop out.
import type { SourceEvent, UnitLookup } from '../source.js';
import type { HistoryBackend, HistoryHints } from './backend.js';
import type { HistorySelection } from './selection.js';
import { commitUnit } from '../../cache/units.js';

export async function* newCommitEvents(backend: HistoryBackend, repo: string, selection: HistorySelection, cache: UnitLookup, hints?: HistoryHints): AsyncGenerator<SourceEvent> {
  const cached: string[] = [];
  const fresh: string[] = [];
  const pick = (selected: string[]): string[] => {
    for (const oid of selected) (cache.has(commitUnit(oid)) ? cached : fresh).push(oid);
    return fresh;
  };
  // An object git could not read is reported once, for the first commit that needs it: which
  // other commits it spoiled is not known, so no commit read by a sweep with errors (or
  // warnings, which a cached commit would not repeat) is kept.
  let failed = false;
  for await (const event of backend.events(repo, selection, pick, hints)) {
    if (event.type === 'chunk' && event.chunk.origin.commit) event.chunk.unit = commitUnit(event.chunk.origin.commit);
    else if (event.type === 'error' || event.type === 'warning') failed = true;
    yield event;
  }
  yield { type: 'units', units: cached.map((oid) => commitUnit(oid)), state: 'cached' };
  yield { type: 'units', units: fresh.map((oid) => commitUnit(oid)), state: failed ? 'incomplete' : 'scanned' };
  yield { type: 'stat', name: 'commitsCached', value: cached.length };
}
