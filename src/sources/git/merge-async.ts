// Interleaves several async iterables, taking from whichever is ready first. Each source has
// at most one pending item, so a fast producer waits for the consumer (bounded memory).
export async function* mergeAsync<T>(sources: AsyncIterable<T>[]): AsyncGenerator<T> {
  const iterators = sources.map((s) => s[Symbol.asyncIterator]());
  const pending = new Map<number, Promise<{ index: number; result: IteratorResult<T> }>>();
  const pull = (index: number): void => {
    pending.set(
      index,
      iterators[index].next().then((result) => ({ index, result })),
    );
  };
  iterators.forEach((_, i) => pull(i));
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(index);
        continue;
      }
      pull(index);
      yield result.value;
    }
  } finally {
    // The consumer stopped early: let every source clean up (kill its process).
    await Promise.allSettled([...pending.keys()].map((i) => iterators[i].return?.()));
  }
}
