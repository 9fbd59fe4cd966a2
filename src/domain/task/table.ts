/**
 * An immutable map from string keys whose updates copy a small leaf, not the whole map.
 *
 * Why: the task fold changes one task per event. Copying a map of every live task on each event
 * would make a replay of n events over m tasks cost n·m. Here keys hash into a two-level tree of
 * WIDTH × WIDTH leaves; an update copies two arrays of WIDTH slots and one leaf of about
 * m / WIDTH² entries. Updates return a new table and leave the old one untouched.
 */
import { fnv1a } from './fnv1a.ts';

const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;

type Leaf<V> = ReadonlyMap<string, V>;
type Branch<V> = readonly (Leaf<V> | undefined)[];

export interface Table<V> {
  readonly branches: readonly (Branch<V> | undefined)[];
  readonly size: number;
}

/** A table with no entries. */
export function emptyTable<V>(): Table<V> {
  return { branches: new Array(WIDTH).fill(undefined), size: 0 };
}

/** The value at `key`, if any. */
export function tableGet<V>(table: Table<V>, key: string): V | undefined {
  const { outer, inner } = slotOf(key);
  return table.branches[outer]?.[inner]?.get(key);
}

/** A table with `key` set to `value`; the same table when it already held that very value. */
export function tableSet<V>(table: Table<V>, key: string, value: V): Table<V> {
  const { outer, inner } = slotOf(key);
  const leaf = table.branches[outer]?.[inner];
  const had = leaf?.has(key) ?? false;
  if (had && leaf?.get(key) === value) return table;
  const next = new Map(leaf);
  next.set(key, value);
  return withLeaf(table, outer, inner, next, had ? table.size : table.size + 1);
}

/** A table without `key`; the same table when it had no such key. */
export function tableDelete<V>(table: Table<V>, key: string): Table<V> {
  const { outer, inner } = slotOf(key);
  const leaf = table.branches[outer]?.[inner];
  if (leaf === undefined || !leaf.has(key)) return table;
  const next = new Map(leaf);
  next.delete(key);
  return withLeaf(table, outer, inner, next.size === 0 ? undefined : next, table.size - 1);
}

/** Every value, in no particular order. */
export function* tableValues<V>(table: Table<V>): Generator<V> {
  for (const branch of table.branches) {
    if (branch === undefined) continue;
    for (const leaf of branch) if (leaf !== undefined) yield* leaf.values();
  }
}

function withLeaf<V>(
  table: Table<V>,
  outer: number,
  inner: number,
  leaf: Leaf<V> | undefined,
  size: number,
): Table<V> {
  const branch = (table.branches[outer] ?? new Array<Leaf<V> | undefined>(WIDTH).fill(undefined)).slice();
  branch[inner] = leaf;
  const branches = table.branches.slice();
  branches[outer] = branch;
  return { branches, size };
}

function slotOf(key: string): { outer: number; inner: number } {
  const hash = fnv1a(key);
  return { outer: hash & MASK, inner: (hash >>> BITS) & MASK };
}
