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
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : canonical(item)));
  if (value instanceof Map) return canonical(Object.fromEntries(value));
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, item]) => [key, canonical(item)] as const);
    return Object.fromEntries(entries);
  }
  return null; // functions, symbols, bigints have no place in state
}
