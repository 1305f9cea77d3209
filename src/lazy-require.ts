// A dependency or Node built-in loaded synchronously on first use rather than at import: each one
// costs a pre-commit hook start-up time to read and compile, and a scan without a config file,
// findings or workers never calls it.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A function returning the module `id`, loaded the first time it is called. */
export function onFirstUse<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
