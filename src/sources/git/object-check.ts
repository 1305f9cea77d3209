// Which objects a repository cannot read, asked of `git cat-file --batch-check` in one call
// (it reads object headers only, never content).
import { runGit } from './exec.js';

/** The ids among `oids` the repository does not have or cannot read. */
export async function missingObjects(repo: string, oids: Iterable<string>): Promise<Set<string>> {
  const asked = [...new Set(oids)];
  if (asked.length === 0) return new Set();
  const checked = await runGit(repo, ['cat-file', '--batch-check'], `${asked.join('\n')}\n`);
  const present = new Set<string>();
  for (const line of checked.stdout.toString('utf8').split('\n')) {
    const [oid, type] = line.split(' ');
    if (type && type !== 'missing' && type !== 'ambiguous') present.add(oid);
  }
  return new Set(asked.filter((oid) => !present.has(oid)));
}
