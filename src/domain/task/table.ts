/**
 * An immutable map from string keys whose updates copy a short path of small arrays, not the map.
 *
 * Why: the task fold changes one task per event. Copying a map of every live task on each event
 * would make a replay of n events over m tasks cost n·m. Here keys hash into a tree of WIDTH-slot
 * nodes (a hash array mapped trie): a slot holds a small leaf (at most LEAF_MAX entries) or a deeper
 * node, so an update copies about log32(m / LEAF_MAX) arrays of WIDTH slots and one small leaf.
 *
 * The shape is a function of the keys alone, not of the order of updates: a leaf becomes a node
 * when it would pass LEAF_MAX entries, and a node that falls back to LEAF_MAX entries or fewer
 * becomes a leaf again. So equal contents hash equal in state checkpoints, whatever the history.
 */
import { fnv1a } from './fnv1a.ts';

const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;
const LEAF_MAX = 8;
/** A 32-bit hash gives six levels of five bits; past them keys collide and a leaf just grows. */
const MAX_DEPTH = 6;

type Leaf<V> = ReadonlyMap<string, V>;
type TrieNode<V> = readonly Slot<V>[];
type Slot<V> = Leaf<V> | TrieNode<V> | undefined;

export interface Table<V> {
  readonly root: TrieNode<V>;
  readonly size: number;
}

/** A table with no entries. */
export function emptyTable<V>(): Table<V> {
  return { root: emptyNode(), size: 0 };
}

/** The value at `key`, if any. */
export function tableGet<V>(table: Table<V>, key: string): V | undefined {
  const hash = fnv1a(key);
  let node = table.root;
  for (let depth = 0; ; depth++) {
    const slot = node[slotIndex(hash, depth)];
    if (slot === undefined) return undefined;
    if (isLeaf(slot)) return slot.get(key);
    node = slot;
  }
}

/** A table with `key` set to `value`; the same table when it already held that very value. */
export function tableSet<V>(table: Table<V>, key: string, value: V): Table<V> {
  const change = { key, hash: fnv1a(key), added: false };
  const root = setIn(table.root, 0, change, value);
  return root === table.root ? table : { root, size: change.added ? table.size + 1 : table.size };
}

/** A table without `key`; the same table when it had no such key. */
export function tableDelete<V>(table: Table<V>, key: string): Table<V> {
  const root = deleteIn(table.root, 0, key, fnv1a(key));
  return root === table.root ? table : { root, size: table.size - 1 };
}

interface Change {
  readonly key: string;
  readonly hash: number;
  /** Set when the key was not there before. */
  added: boolean;
}

function setIn<V>(node: TrieNode<V>, depth: number, change: Change, value: V): TrieNode<V> {
  const { key, hash } = change;
  const index = slotIndex(hash, depth);
  const slot = node[index];
  let next: Slot<V>;
  if (slot === undefined) {
    change.added = true;
    next = new Map([[key, value]]);
  } else if (isLeaf(slot)) {
    const had = slot.has(key);
    if (had && slot.get(key) === value) return node;
    change.added = !had;
    if (!had && slot.size >= LEAF_MAX && depth + 1 < MAX_DEPTH) {
      next = setIn(split(slot, depth + 1), depth + 1, change, value);
    } else {
      const leaf = copyOf(slot);
      leaf.set(key, value);
      next = leaf;
    }
  } else {
    next = setIn(slot, depth + 1, change, value);
    if (next === slot) return node;
  }
  const copy = node.slice();
  copy[index] = next;
  return copy;
}

function deleteIn<V>(node: TrieNode<V>, depth: number, key: string, hash: number): TrieNode<V> {
  const index = slotIndex(hash, depth);
  const slot = node[index];
  if (slot === undefined) return node;
  let next: Slot<V>;
  if (isLeaf(slot)) {
    if (!slot.has(key)) return node;
    next = slot.size === 1 ? undefined : copyOf(slot, key);
  } else {
    const child = deleteIn(slot, depth + 1, key, hash);
    if (child === slot) return node;
    next = collapsed(child);
  }
  const copy = node.slice();
  copy[index] = next;
  return copy;
}

/** Every value, in no particular order. */
export function* tableValues<V>(table: Table<V>): Generator<V> {
  const stack: TrieNode<V>[] = [table.root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    for (const slot of node) {
      if (slot === undefined) continue;
      if (isLeaf(slot)) yield* slot.values();
      else stack.push(slot);
    }
  }
}

/**
 * A new leaf of the entries of `leaf`, in its order, but `except`'s. Entry by entry: `new Map(leaf)`
 * goes through the iterator protocol and cost about twice as much for the small leaves of a table.
 */
function copyOf<V>(leaf: Leaf<V>, except?: string): Map<string, V> {
  const copy = new Map<string, V>();
  for (const [key, value] of leaf) if (key !== except) copy.set(key, value);
  return copy;
}

function emptyNode<V>(): TrieNode<V> {
  return new Array<Slot<V>>(WIDTH).fill(undefined);
}

function isLeaf<V>(slot: Leaf<V> | TrieNode<V>): slot is Leaf<V> {
  return slot instanceof Map;
}

function slotIndex(hash: number, depth: number): number {
  return (hash >>> (depth * BITS)) & MASK;
}

/** A full leaf as a node one level down. */
function split<V>(leaf: Leaf<V>, depth: number): TrieNode<V> {
  const node = emptyNode<V>() as Slot<V>[];
  for (const [key, value] of leaf) {
    const index = slotIndex(fnv1a(key), depth);
    // Every leaf here is new: filled in place.
    const slot = node[index] as Map<string, V> | undefined;
    if (slot === undefined) node[index] = new Map([[key, value]]);
    else slot.set(key, value);
  }
  return node;
}

/** A node that holds LEAF_MAX entries or fewer, as one leaf (or nothing); any other node as it is. */
function collapsed<V>(node: TrieNode<V>): Slot<V> {
  const entries: [string, V][] = [];
  for (const slot of node) {
    if (slot === undefined) continue;
    // A child node always holds more than LEAF_MAX entries: this one does too.
    if (!isLeaf(slot)) return node;
    for (const entry of slot) entries.push(entry);
    if (entries.length > LEAF_MAX) return node;
  }
  return entries.length === 0 ? undefined : new Map(entries);
}
