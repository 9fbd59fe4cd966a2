/**
 * An immutable list of task ids kept sorted by (key, seq), whose updates copy one small chunk and the
 * array of chunks, not the list: for "the oldest pending tasks" and "finished tasks by the time they
 * are due to retire", read from the front a few at a time while the list holds thousands.
 *
 * Chunks hold at most CHUNK entries; a full one splits in two, an empty one goes. An update costs
 * about size / CHUNK pointer copies plus one chunk: far less than sorting, or a scan of every task.
 */
const CHUNK = 64;

export interface SortedEntry {
  readonly key: number;
  /** Breaks ties between equal keys: a task's seq is unique, so entries are too. */
  readonly seq: number;
  readonly taskId: string;
}

export interface SortedList {
  readonly chunks: readonly (readonly SortedEntry[])[];
  readonly size: number;
}

/** A list with no entries. */
export function emptySortedList(): SortedList {
  return { chunks: [], size: 0 };
}

/** The list with `entry` in its place (entries are told apart by key and seq). */
export function sortedInsert(list: SortedList, entry: SortedEntry): SortedList {
  const { chunks } = list;
  if (chunks.length === 0) return { chunks: [[entry]], size: 1 };
  const at = Math.min(chunkFor(chunks, entry), chunks.length - 1);
  const chunk = (chunks[at] as readonly SortedEntry[]).slice();
  chunk.splice(positionIn(chunk, entry), 0, entry);
  const next = chunks.slice();
  if (chunk.length > CHUNK)
    next.splice(at, 1, chunk.slice(0, chunk.length >> 1), chunk.slice(chunk.length >> 1));
  else next[at] = chunk;
  return { chunks: next, size: list.size + 1 };
}

/** The list without the entry of this key and seq; the same list when it has none. */
export function sortedDelete(list: SortedList, key: number, seq: number): SortedList {
  const { chunks } = list;
  const probe = { key, seq, taskId: '' };
  const at = chunkFor(chunks, probe);
  const chunk = chunks[at];
  if (chunk === undefined) return list;
  const position = positionIn(chunk, probe);
  const found = chunk[position];
  if (found === undefined || found.key !== key || found.seq !== seq) return list;
  const next = chunks.slice();
  if (chunk.length === 1) next.splice(at, 1);
  else next[at] = [...chunk.slice(0, position), ...chunk.slice(position + 1)];
  return { chunks: next, size: list.size - 1 };
}

/** Every entry, smallest (key, seq) first. */
export function* sortedEntries(list: SortedList): Generator<SortedEntry> {
  for (const chunk of list.chunks) yield* chunk;
}

function compare(a: SortedEntry, b: SortedEntry): number {
  return a.key - b.key || a.seq - b.seq;
}

/** The first chunk whose last entry is not below `entry` (chunks.length when there is none). */
function chunkFor(chunks: readonly (readonly SortedEntry[])[], entry: SortedEntry): number {
  let low = 0;
  let high = chunks.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    const chunk = chunks[middle] as readonly SortedEntry[];
    if (compare(chunk[chunk.length - 1] as SortedEntry, entry) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Where `entry` is, or goes, in a sorted chunk. */
function positionIn(chunk: readonly SortedEntry[], entry: SortedEntry): number {
  let low = 0;
  let high = chunk.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (compare(chunk[middle] as SortedEntry, entry) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
