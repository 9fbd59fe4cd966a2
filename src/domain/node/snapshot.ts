/**
 * A canonical, plain-JSON form of a node state: keys sorted at every level, no undefined. Two equal
 * states give byte-equal `JSON.stringify(snapshot(state))`, which is what replay hashes compare.
 */
import type { NodeState } from './state.ts';

export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** The state as canonical JSON. */
export function snapshot(state: NodeState): Json {
  return canonicalJson(state);
}

/** Any plain value as canonical JSON (keys sorted, no undefined). */
export function canonicalJson(value: unknown): Json {
  return canonical(value);
}

function canonical(value: unknown): Json {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'object') return null; // functions, symbols, bigints have no place in state
  if (Array.isArray(value)) {
    const items: Json[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      items[i] = item === undefined ? null : canonical(item);
    }
    return items;
  }
  if (value instanceof Map) return canonical(Object.fromEntries(value));
  // Keys sorted, then set one by one: a checkpoint does this for every task of the fold, and the
  // entries / filter / map / fromEntries chain it replaces allocated four arrays per object.
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).sort();
  const copy: Record<string, Json> = {};
  for (const key of keys) {
    const item = object[key];
    if (item === undefined) continue;
    // Assigning "__proto__" would set the prototype: it is an own key here, as fromEntries made it.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: canonical(item), ...OWN });
    else copy[key] = canonical(item);
  }
  return copy;
}

const OWN = { enumerable: true, writable: true, configurable: true } as const;
