/**
 * An immutable list of task ids kept sorted by (key, seq), whose updates copy one small chunk, the
 * page that holds it and the array of pages, not the list: for "the oldest pending tasks" and
 * "finished tasks by the time they are due to retire", read from the front a few at a time while the
 * list holds thousands.
 *
 * Chunks hold at most CHUNK entries and pages at most PAGE chunks; a full one splits in two, an empty
 * one goes. An update costs about size / (CHUNK · PAGE) + PAGE + CHUNK pointer copies. Why pages: with
 * one array of chunks, every update copied it whole, and the list of finished tasks grows by one with
 * every task that ends and holds tens of thousands for a day's retention.
 */
const CHUNK = 64;
const PAGE = 64;

export interface SortedEntry {
  readonly key: number;
  /** Breaks ties between equal keys: a task's seq is unique, so entries are too. */
  readonly seq: number;
  readonly taskId: string;
}

type Chunk = readonly SortedEntry[];
type Page = readonly Chunk[];

export interface SortedList {
  /** Never an empty page, never an empty chunk. */
  readonly pages: readonly Page[];
  readonly size: number;
}

/** A list with no entries. */
export function emptySortedList(): SortedList {
  return { pages: [], size: 0 };
}

/** The list with `entry` in its place (entries are told apart by key and seq). */
export function sortedInsert(list: SortedList, entry: SortedEntry): SortedList {
  const { pages } = list;
  if (pages.length === 0) return { pages: [[[entry]]], size: 1 };
  const p = Math.min(firstNotBelow(pages, lastOfPage, entry), pages.length - 1);
  const page = pages[p] as Page;
  const c = Math.min(firstNotBelow(page, lastOfChunk, entry), page.length - 1);
  const chunk = (page[c] as Chunk).slice();
  const position = positionIn(chunk, entry);
  chunk.splice(position, 0, entry);
  // Appended after the last entry (as finishing times and seqs come): what is full stays full.
  const atEnd = p === pages.length - 1 && c === page.length - 1 && position === chunk.length - 1;
  const nextPage = replaced(page, c, chunk, CHUNK, atEnd);
  return { pages: replaced(pages, p, nextPage, PAGE, atEnd), size: list.size + 1 };
}

/** The list without the entry of this key and seq; the same list when it has none. */
export function sortedDelete(list: SortedList, key: number, seq: number): SortedList {
  const { pages } = list;
  const probe = { key, seq, taskId: '' };
  const p = firstNotBelow(pages, lastOfPage, probe);
  const page = pages[p];
  if (page === undefined) return list;
  // The page's last entry is not below the probe: some chunk's is not either.
  const c = firstNotBelow(page, lastOfChunk, probe);
  const chunk = page[c] as Chunk;
  const position = positionIn(chunk, probe);
  const found = chunk[position];
  if (found === undefined || found.key !== key || found.seq !== seq) return list;
  const nextPages = pages.slice();
  if (chunk.length > 1) {
    const nextPage = page.slice();
    nextPage[c] = [...chunk.slice(0, position), ...chunk.slice(position + 1)];
    nextPages[p] = nextPage;
  } else if (page.length > 1) {
    nextPages[p] = [...page.slice(0, c), ...page.slice(c + 1)];
  } else {
    nextPages.splice(p, 1);
  }
  return { pages: nextPages, size: list.size - 1 };
}

/** Every entry, smallest (key, seq) first. */
export function* sortedEntries(list: SortedList): Generator<SortedEntry> {
  for (const page of list.pages) for (const chunk of page) yield* chunk;
}

function compare(a: SortedEntry, b: SortedEntry): number {
  return a.key - b.key || a.seq - b.seq;
}

/**
 * `items` with the one at `at` replaced by `item`, or, when it grew past `max`, by its two halves; or
 * by all but its last and its last, when that last was appended at the end of the list.
 */
function replaced<T>(
  items: readonly (readonly T[])[],
  at: number,
  item: readonly T[],
  max: number,
  atEnd: boolean,
): (readonly T[])[] {
  const next = items.slice();
  if (item.length <= max) next[at] = item;
  else {
    const cut = atEnd ? max : item.length >> 1;
    next.splice(at, 1, item.slice(0, cut), item.slice(cut));
  }
  return next;
}

function lastOfChunk(chunk: Chunk): SortedEntry {
  return chunk[chunk.length - 1] as SortedEntry;
}

function lastOfPage(page: Page): SortedEntry {
  return lastOfChunk(page[page.length - 1] as Chunk);
}

/** The first of `items` whose last entry is not below `entry` (items.length when there is none). */
function firstNotBelow<T>(items: readonly T[], last: (item: T) => SortedEntry, entry: SortedEntry): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (compare(last(items[middle] as T), entry) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Where `entry` is, or goes, in a sorted chunk. */
function positionIn(chunk: Chunk, entry: SortedEntry): number {
  let low = 0;
  let high = chunk.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (compare(chunk[middle] as SortedEntry, entry) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
