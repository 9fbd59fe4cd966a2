/**
 * The data of one batch znode: every event of one append, with the stream and the revision of its
 * first event, so a batch reads back on its own (`zkCli get` shows it whole):
 *
 *   {"v":1,"stream":"dispatch","revision":3,"events":[{"id":…,"type":…,"version":1,"data":…,"meta":…}]}
 *
 * Revisions inside a batch are consecutive from `revision`; positions come from the znode's
 * sequence (positions.ts), which is only known once ZooKeeper created it, so they are not stored.
 */

import { z } from 'zod';
import { ErrorCodes, TaskdError } from '../../../errors.ts';
import { isPlainEventMeta, isRecord } from '../plain-shapes.ts';
import type { EventToAppend, LoggedEvent } from '../port.ts';
import { MAX_EVENTS_PER_BATCH, positionOf } from './positions.ts';

/**
 * Largest batch znode data, in bytes. ZooKeeper refuses (by dropping the connection) any request
 * above jute.maxbuffer (1 MiB − 1 by default), on clients, servers and between ensemble members; the
 * room left is for the rest of the multi: paths, the stream head's data, ACLs and framing.
 */
export const MAX_BATCH_DATA_BYTES = 1_000_000;

const metaSchema = z.looseObject({
  node: z.string(),
  incarnation: z.number(),
  epoch: z.number().optional(),
  causationId: z.string().optional(),
  at: z.number(),
});

const storedEventSchema = z.object({
  id: z.string().min(1),
  type: z.string(),
  version: z.number(),
  data: z.unknown(),
  meta: metaSchema,
});

/** The zod schema of a batch: the reference for what decodeBatch accepts. */
export const batchSchema = z.object({
  v: z.literal(1),
  stream: z.string().min(1),
  revision: z.number().int().nonnegative(),
  events: z.array(storedEventSchema).min(1).max(MAX_EVENTS_PER_BATCH),
});

export type StoredBatch = z.infer<typeof batchSchema>;

/** An append's events, encoded once (ids fixed) so that every attempt writes the same bytes. */
export interface PreparedBatch {
  readonly stream: string;
  readonly count: number;
  /** Recognises this batch once stored, when an attempt's outcome was not heard. */
  readonly firstId: string;
  /** Each event's id, given or made. */
  readonly ids: readonly string[];
  readonly eventsJson: string;
}

/** Gives events their ids and encodes them; BATCH_TOO_LARGE when the znode would not fit. */
export function prepareBatch(
  stream: string,
  events: readonly EventToAppend[],
  newId: () => string,
): PreparedBatch {
  if (events.length > MAX_EVENTS_PER_BATCH) {
    throw new TaskdError(
      ErrorCodes.BATCH_TOO_LARGE,
      `append to "${stream}" holds ${events.length} events, above ${MAX_EVENTS_PER_BATCH}`,
      { stream, events: events.length },
    );
  }
  const stored = events.map((event) => ({
    id: event.id ?? newId(),
    type: event.type,
    version: event.version,
    data: event.data,
    meta: event.meta,
  }));
  const prepared = {
    stream,
    count: events.length,
    firstId: stored[0]?.id ?? '',
    ids: stored.map((event) => event.id),
    eventsJson: JSON.stringify(stored),
  };
  // The widest revision a batch can carry, so no later attempt can grow past the check.
  const bytes = encodeBatch(prepared, Number.MAX_SAFE_INTEGER).length;
  if (bytes > MAX_BATCH_DATA_BYTES) {
    throw new TaskdError(
      ErrorCodes.BATCH_TOO_LARGE,
      `append to "${stream}" needs a ${bytes}-byte znode once ids and envelope are added, above ${MAX_BATCH_DATA_BYTES}`,
      { stream, bytes, limit: MAX_BATCH_DATA_BYTES, events: events.length },
    );
  }
  return prepared;
}

/** The znode data of a prepared batch whose first event gets `revision`. */
export function encodeBatch(prepared: PreparedBatch, revision: number): Buffer {
  const head = `{"v":1,"stream":${JSON.stringify(prepared.stream)},"revision":${revision},"events":`;
  return Buffer.from(`${head}${prepared.eventsJson}}`, 'utf8');
}

export type BatchDecoding =
  | { readonly ok: true; readonly batch: StoredBatch }
  | { readonly ok: false; readonly message: string };

/** Parses a batch znode's data; never throws. */
export function decodeBatch(data: Buffer): BatchDecoding {
  let value: unknown;
  try {
    value = JSON.parse(data.toString('utf8'));
  } catch (error) {
    return { ok: false, message: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  // Every node reads every batch: the usual one is checked by hand, zod decides the rest and says why.
  if (isPlainBatch(value)) return { ok: true, batch: value };
  const parsed = batchSchema.safeParse(value);
  if (parsed.success) return { ok: true, batch: parsed.data };
  return { ok: false, message: z.prettifyError(parsed.error).replaceAll('\n', '; ') };
}

/**
 * What batchSchema accepts, with no key it would strip and nothing it would copy differently: a
 * batch as this log writes it. Only ever says yes where zod would (a test holds it to that).
 */
function isPlainBatch(value: unknown): value is StoredBatch {
  if (!isRecord(value) || Object.keys(value).length !== 4) return false;
  const { v, stream, revision, events } = value;
  if (v !== 1 || typeof stream !== 'string' || stream.length === 0) return false;
  if (!Number.isSafeInteger(revision) || (revision as number) < 0) return false;
  if (!Array.isArray(events) || events.length === 0 || events.length > MAX_EVENTS_PER_BATCH) return false;
  for (let i = 0; i < events.length; i++) if (!isPlainStoredEvent(events[i])) return false;
  return true;
}

function isPlainStoredEvent(value: unknown): boolean {
  if (!isRecord(value) || Object.keys(value).length !== 5) return false;
  const { id, type, version, data, meta } = value;
  if (typeof id !== 'string' || id.length === 0 || typeof type !== 'string') return false;
  if (typeof version !== 'number' || !Number.isFinite(version) || data === undefined) return false;
  // meta is a loose object: other keys stay, the known ones must hold.
  if (!isRecord(meta)) return false;
  return isPlainEventMeta(meta);
}

/** The batch's events as the port returns them. */
export function loggedEventsOf(batch: StoredBatch, sequence: number): LoggedEvent[] {
  return batch.events.map((event, index) => ({
    id: event.id,
    stream: batch.stream,
    revision: batch.revision + index,
    position: positionOf(sequence, index),
    type: event.type,
    version: event.version,
    data: event.data,
    meta: event.meta,
  }));
}
