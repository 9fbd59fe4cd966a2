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

/** A run of merged items, each with the index of the journal it came from. */
export interface MergedBatch {
  readonly items: JournalItem[];
  readonly from: number[];
}

/**
 * Most items in one merged batch: enough to make the wait per batch negligible, few enough that a
 * batch is gone before the next young-generation GC (items of larger ones lived long enough to be
 * promoted, and the 1M-event replay's peak RSS grew by half).
 */
const MERGED_BATCH_ITEMS = 256;

/** One journal's batches and where the merge stands in them. */
class BatchCursor {
  private batch: readonly JournalItem[] = [];
  private at = 0;
  /** The journal's next entry, once `seek` found one. */
  entry: Entry | undefined;

  constructor(
    readonly index: number,
    readonly iterator: AsyncIterator<readonly JournalItem[]>,
  ) {}

  /** Moves to the next entry of this batch, passing anomalies on to `out`; false: the batch ran out first. */
  seek(out: MergedBatch): boolean {
    const { batch } = this;
    while (this.at < batch.length) {
      const item = batch[this.at++] as JournalItem;
      if (item.kind === 'entry') {
        this.entry = item;
        return true;
      }
      out.items.push(item);
      out.from.push(this.index);
    }
    this.entry = undefined;
    return false;
  }

  /** Reads the next batch; false at the end of the journal. */
  async refill(): Promise<boolean> {
    const next = await this.iterator.next();
    if (next.done === true) return false;
    this.batch = next.value;
    this.at = 0;
    return true;
  }
}

/**
 * `mergeJournalItems` for journals read in batches (readJournalChainBatches): the same items in
 * the same order, in batches that say which journal each item came from. It waits only when a
 * journal's batch runs out, so merging costs a comparison per entry, not an await.
 */
export async function* mergeJournalBatches(
  journals: readonly AsyncIterable<readonly JournalItem[]>[],
): AsyncGenerator<MergedBatch> {
  const cursors = journals.map((journal, index) => new BatchCursor(index, journal[Symbol.asyncIterator]()));
  let out: MergedBatch = { items: [], from: [] };
  try {
    const heads: BatchCursor[] = [];
    for (const cursor of cursors) {
      let found = cursor.seek(out);
      while (!found && (await cursor.refill())) found = cursor.seek(out);
      if (found) heads.push(cursor);
    }
    while (heads.length > 0) {
      let first = 0;
      let firstEntry = (heads[0] as BatchCursor).entry as Entry;
      for (let i = 1; i < heads.length; i++) {
        const entry = (heads[i] as BatchCursor).entry as Entry;
        if (compare(entry, firstEntry) < 0) {
          first = i;
          firstEntry = entry;
        }
      }
      const head = heads[first] as BatchCursor;
      out.items.push(firstEntry);
      out.from.push(head.index);
      let found = head.seek(out);
      while (!found && (await head.refill())) found = head.seek(out);
      if (!found) heads.splice(first, 1);
      if (out.items.length >= MERGED_BATCH_ITEMS) {
        yield out;
        out = { items: [], from: [] };
      }
    }
    if (out.items.length > 0) yield out;
  } finally {
    // Stopped early (or failed): close the files still open.
    await Promise.all(cursors.map((cursor) => cursor.iterator.return?.()));
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
