/**
 * The journal record schema (journal-line.ts) as plain checks, for the lines that plainly pass it:
 * zod costs more than the rest of reading a line. It only ever says "yes, and here is exactly what
 * the schema would have made of it" or "ask the schema", never "no": every rejection, and so
 * every message naming the wrong field, still comes from the schema.
 */
import type { JournalRecord } from './journal-line.ts';

/** The record `value` holds when it plainly has the journal record's shape; undefined: ask the schema. */
export function quickJournalRecord(value: unknown): JournalRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { seq, type, version, data, meta } = value as Record<string, unknown>;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq <= 0) return undefined;
  if (typeof type !== 'string' || type === '') return undefined;
  if (typeof version !== 'number' || !Number.isFinite(version) || data === undefined) return undefined;
  const checkedMeta = quickJournalMeta(meta);
  if (checkedMeta === undefined) return undefined;
  return { seq, type, version, data, meta: checkedMeta };
}

/**
 * The record's meta when `meta` plainly passes the schema; undefined: ask the schema. The schema's
 * meta is a loose object: its own keys first, in the schema's order, then every other key as it
 * was. Built the same way here, so that a record reads the same either way.
 */
export function quickJournalMeta(meta: unknown): JournalRecord['meta'] | undefined {
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return undefined;
  const { node, incarnation, epoch, causationId, at } = meta as Record<string, unknown>;
  if (typeof node !== 'string' || !isFiniteNumber(incarnation) || !isFiniteNumber(at)) return undefined;
  if (epoch !== undefined && !isFiniteNumber(epoch)) return undefined;
  if (causationId !== undefined && typeof causationId !== 'string') return undefined;
  const result: Record<string, unknown> = { node, incarnation };
  if (epoch !== undefined) result.epoch = epoch;
  if (causationId !== undefined) result.causationId = causationId;
  result.at = at;
  for (const key in meta) {
    if (KNOWN_META_KEYS.has(key)) continue;
    if (key === '__proto__') return undefined; // let the schema decide what such a key means
    result[key] = (meta as Record<string, unknown>)[key];
  }
  return result as JournalRecord['meta'];
}

const KNOWN_META_KEYS: ReadonlySet<string> = new Set(['node', 'incarnation', 'epoch', 'causationId', 'at']);

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
