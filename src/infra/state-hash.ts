/**
 * The hash of a state, as StateCheckpoint journals it and replay checks it: sha256 of the canonical
 * JSON (keys sorted at every level), first 16 hex digits.
 *
 * Two ways to take it, with the same value: `stateHash` at once, and `stateHashInSlices` a few
 * milliseconds at a time. Why the second: a live node's fold of the task log holds up to tens of
 * thousands of tasks, and hashing it at once blocked the event loop for 100–200 ms at every
 * checkpoint, long enough to put the tasks submitted meanwhile behind it. The states are immutable,
 * so a state captured at one moment hashes the same however many turns the hashing takes.
 */
import { createHash, type Hash } from 'node:crypto';
import { canonicalJson } from '../domain/node/snapshot.ts';

/** A short, stable hash of any plain state. */
export function stateHash(state: unknown): string {
  return digest(createHash('sha256').update(canonicalText(state)));
}

/** The canonical JSON text of `value`: what the hash is of. */
export function canonicalText(value: unknown): string {
  // Building the sorted copy and letting JSON.stringify write it beat writing the text by hand
  // (string concatenation) by half on a fold of 20 000 tasks.
  return JSON.stringify(canonicalJson(value));
}

const INDEX_KEY = /^(?:0|[1-9][0-9]*)$/;

/**
 * The keys of `object` whose values are defined, in the order JSON lists them in canonicalJson's
 * copy: that copy is built in sorted key order, and an object lists integer-like keys first, by value.
 */
function canonicalKeys(object: Record<string, unknown>): string[] {
  const keys = Object.keys(object)
    .filter((key) => object[key] !== undefined)
    .sort();
  if (!keys.some(isIndexKey)) return keys;
  const indexes = keys.filter(isIndexKey).sort((a, b) => Number(a) - Number(b));
  return [...indexes, ...keys.filter((key) => !isIndexKey(key))];
}

function isIndexKey(key: string): boolean {
  return INDEX_KEY.test(key) && Number(key) < 4_294_967_295;
}

export interface SliceOptions {
  /** Longest run of hashing before the event loop gets a turn. */
  readonly sliceMs: number;
  /** Gives the event loop a turn (setImmediate by default). */
  readonly yieldTurn?: () => Promise<void>;
  /** Stops the hashing at its next slice: the promise then rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
  readonly now?: () => number;
  /**
   * Canonical JSON of values held in Maps, by identity, kept from one hashing to the next: a task
   * that did not change since the last checkpoint is not serialized again. Sound only because states
   * are never mutated (a changed task is a new object).
   */
  readonly memo?: WeakMap<object, string>;
}

/** Pieces between two looks at the clock: a piece is small, and reading the clock is not free. */
const PIECES_PER_CHECK = 64;
/** Text gathered before it goes into the hash: fewer, larger updates. */
const UPDATE_CHARS = 64 * 1024;

/** `stateHash(state)`, computed `sliceMs` at a time with the event loop free in between. */
export async function stateHashInSlices(state: unknown, options: SliceOptions): Promise<string> {
  const yieldTurn = options.yieldTurn ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  const now = options.now ?? (() => performance.now());
  const hash = createHash('sha256');
  let text = '';
  let pieces = 0;
  let sliceStart = now();
  for (const piece of canonicalPieces(state, options.memo)) {
    text += piece;
    if (text.length >= UPDATE_CHARS) {
      hash.update(text);
      text = '';
    }
    if (++pieces % PIECES_PER_CHECK !== 0 || now() - sliceStart < options.sliceMs) continue;
    await yieldTurn();
    options.signal?.throwIfAborted();
    sliceStart = now();
  }
  return digest(hash.update(text));
}

function digest(hash: Hash): string {
  return hash.digest('hex').slice(0, 16);
}

/**
 * `JSON.stringify(canonicalJson(value))` in pieces whose concatenation is exactly that text. It
 * walks arrays, objects and Maps itself; each value held in a Map (an entry of a task table: one
 * task) is one piece, made by `canonicalText` as `stateHash` does (or taken from `memo`).
 */
export function* canonicalPieces(value: unknown, memo?: WeakMap<object, string>): Generator<string> {
  if (value instanceof Map) {
    // canonicalJson turns a Map into the object of its entries: same keys, same order.
    yield* objectPieces(Object.fromEntries(value), true, memo);
  } else if (Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield ',';
      const item: unknown = value[i];
      yield* item === undefined ? ['null'] : canonicalPieces(item, memo);
    }
    yield ']';
  } else if (value !== null && typeof value === 'object') {
    yield* objectPieces(value as Record<string, unknown>, false, memo);
  } else {
    yield canonicalText(value);
  }
}

/** An object's pieces; `ofMap`: its values were a Map's, one piece each. */
function* objectPieces(
  value: Record<string, unknown>,
  ofMap: boolean,
  memo: WeakMap<object, string> | undefined,
): Generator<string> {
  const keys = canonicalKeys(value);
  yield '{';
  for (const [index, key] of keys.entries()) {
    yield `${index > 0 ? ',' : ''}${JSON.stringify(key)}:`;
    const item = value[key];
    if (ofMap) yield memoized(item, memo);
    else yield* canonicalPieces(item, memo);
  }
  yield '}';
}

function memoized(item: unknown, memo: WeakMap<object, string> | undefined): string {
  if (memo === undefined || item === null || typeof item !== 'object') return canonicalText(item);
  let text = memo.get(item);
  if (text === undefined) {
    text = canonicalText(item);
    memo.set(item, text);
  }
  return text;
}
