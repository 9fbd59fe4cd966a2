/**
 * Several nodes' journals as one timeline, ordered by `meta.at`, then node, then seq: a k-way merge
 * holding one pending entry per journal, never a whole journal. Each journal keeps its own order
 * (if a node's clock stepped back, its entries still come out in journal order). An anomaly is
 * passed on as soon as its journal reaches it.
 */
import type { JournalItem } from './read-journal.ts';
import { journalChainsAt, readJournalChain } from './read-journal.ts';

type Entry = Extract<JournalItem, { kind: 'entry' }>;

interface Head {
  readonly iterator: AsyncIterator<JournalItem>;
  entry: Entry;
}

/** Merges the journals found at `sources` (files, or directories of journals). */
export async function* mergeJournals(sources: readonly string[]): AsyncGenerator<JournalItem> {
  const chains = (await Promise.all(sources.map(journalChainsAt))).flat();
  yield* mergeJournalItems(chains.map(readJournalChain));
}

/** Merges already-open journal item sequences, each in its own order. */
export async function* mergeJournalItems(
  journals: readonly AsyncIterable<JournalItem>[],
): AsyncGenerator<JournalItem> {
  const iterators = journals.map((journal) => journal[Symbol.asyncIterator]());
  const heads: Head[] = [];
  try {
    for (const iterator of iterators) {
      const entry = yield* advance(iterator);
      if (entry !== undefined) heads.push({ iterator, entry });
    }
    while (heads.length > 0) {
      let first = 0;
      for (let i = 1; i < heads.length; i++) {
        if (compare((heads[i] as Head).entry, (heads[first] as Head).entry) < 0) first = i;
      }
      const head = heads[first] as Head;
      yield head.entry;
      const next = yield* advance(head.iterator);
      if (next === undefined) heads.splice(first, 1);
      else head.entry = next;
    }
  } finally {
    // Stopped early (or failed): close the files still open.
    await Promise.all(iterators.map((iterator) => iterator.return?.()));
  }
}

/** Passes anomalies on until the next entry of `iterator`; undefined at its end. */
async function* advance(
  iterator: AsyncIterator<JournalItem>,
): AsyncGenerator<JournalItem, Entry | undefined> {
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) return undefined;
    if (next.value.kind === 'entry') return next.value;
    yield next.value;
  }
}

function compare(a: Entry, b: Entry): number {
  const byTime = a.event.meta.at - b.event.meta.at;
  if (byTime !== 0) return byTime;
  const byNode = a.event.meta.node < b.event.meta.node ? -1 : a.event.meta.node > b.event.meta.node ? 1 : 0;
  return byNode !== 0 ? byNode : a.seq - b.seq;
}
