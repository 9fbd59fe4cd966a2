/**
 * One line of the file task log: one whole append (so an append is atomic: the line is there and
 * checks, or it is not). `jq -c '.events[]' tasks.log` lists every event.
 *
 *   {"seq":7,"stream":"dispatch","events":[{"id":…,"revision":3,"position":12,"type":…,"version":1,
 *    "data":…,"meta":…}],"crc":"1c291ca3"}
 *
 * `seq` numbers records 1, 2, 3…; `position` numbers events 1, 2, 3… across all streams and is the
 * log's global position (an event sequence, not a byte offset: an append of several events needs one
 * position per event). Revisions and positions inside a record are consecutive.
 */

import { z } from 'zod';
import { isFiniteNumber, isPlainEventMeta, isRecord } from '../plain-shapes.ts';
import type { EventToAppend, LoggedEvent } from '../port.ts';

const metaSchema = z.looseObject({
  node: z.string(),
  incarnation: z.number(),
  epoch: z.number().optional(),
  causationId: z.string().optional(),
  at: z.number(),
});

const storedEventSchema = z.object({
  id: z.string().min(1),
  revision: z.number().int().nonnegative(),
  position: z.number().int().positive(),
  type: z.string().min(1),
  version: z.number(),
  data: z.unknown(),
  meta: metaSchema,
});

/** The zod schema of a record: the reference for what parseLogRecord accepts. */
export const logRecordSchema = z
  .object({
    seq: z.number().int().positive(),
    stream: z.string().min(1),
    events: z.array(storedEventSchema).min(1),
  })
  .refine(
    (record) =>
      record.events.every(
        (event, index) =>
          event.revision === (record.events[0]?.revision ?? 0) + index &&
          event.position === (record.events[0]?.position ?? 0) + index,
      ),
    { message: 'revisions and positions inside a record must be consecutive' },
  );

export type StoredEvent = z.infer<typeof storedEventSchema>;
export type LogRecord = z.infer<typeof logRecordSchema>;

export type RecordParsing =
  | { readonly ok: true; readonly record: LogRecord }
  | { readonly ok: false; readonly message: string };

/** The record a writer makes of an append: its events numbered from `revision` and `position`. */
export function recordOf(
  stream: string,
  events: readonly (EventToAppend & { readonly id: string })[],
  at: { readonly seq: number; readonly revision: number; readonly position: number },
) {
  return {
    seq: at.seq,
    stream,
    events: events.map((event, i) => ({
      id: event.id,
      revision: at.revision + i,
      position: at.position + i,
      type: event.type,
      version: event.version,
      data: event.data,
      meta: event.meta,
    })),
  };
}

/** Checks a decoded line has the shape of a log record. */
export function parseLogRecord(value: unknown): RecordParsing {
  // Every append is read back, and every record read: the usual record is checked by hand, zod
  // decides the rest and says why.
  const plain = plainRecord(value);
  if (plain !== undefined) return { ok: true, record: plain };
  const parsed = logRecordSchema.safeParse(value);
  if (parsed.success) return { ok: true, record: parsed.data };
  return { ok: false, message: z.prettifyError(parsed.error).replaceAll('\n', '; ') };
}

/**
 * A record as this log writes it, as logRecordSchema would give it back (the crc a written line
 * carries is dropped, as zod drops it), or undefined to let zod decide: only ever says yes where zod
 * would (a test holds it to that).
 */
function plainRecord(value: unknown): LogRecord | undefined {
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value).length;
  if (keys !== 3 && !(keys === 4 && typeof value.crc === 'string')) return undefined;
  const { seq, stream, events } = value;
  if (!Number.isSafeInteger(seq) || (seq as number) < 1) return undefined;
  if (typeof stream !== 'string' || stream.length === 0) return undefined;
  if (!Array.isArray(events) || events.length === 0) return undefined;
  const first = events[0] as { revision?: unknown; position?: unknown } | undefined;
  for (let i = 0; i < events.length; i++) {
    const event: unknown = events[i];
    if (!isPlainStoredEvent(event)) return undefined;
    if (event.revision !== (first?.revision as number) + i) return undefined;
    if (event.position !== (first?.position as number) + i) return undefined;
  }
  return { seq: seq as number, stream, events: events as StoredEvent[] };
}

function isPlainStoredEvent(value: unknown): value is StoredEvent {
  if (!isRecord(value) || Object.keys(value).length !== 7) return false;
  const { id, revision, position, type, version, data, meta } = value;
  if (typeof id !== 'string' || id.length === 0 || typeof type !== 'string' || type.length === 0)
    return false;
  if (!Number.isSafeInteger(revision) || (revision as number) < 0) return false;
  if (!Number.isSafeInteger(position) || (position as number) < 1) return false;
  if (!isFiniteNumber(version) || data === undefined || !isRecord(meta)) return false;
  // meta is a loose object: other keys stay, the known ones must hold.
  return isPlainEventMeta(meta);
}

/** The record's events as the port returns them. */
export function loggedEvents(record: LogRecord): LoggedEvent[] {
  return record.events.map((event) => ({ ...event, stream: record.stream }));
}

/** First and last global positions of a record. */
export function positionsOf(record: LogRecord): { readonly first: number; readonly last: number } {
  const first = record.events[0]?.position ?? 0;
  return { first, last: first + record.events.length - 1 };
}
