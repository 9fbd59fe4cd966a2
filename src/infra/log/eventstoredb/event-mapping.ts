/**
 * Events between the port and EventStoreDB.
 *
 *   EventToAppend { id?, type, version, data, meta }
 *     ↔ jsonEvent { id: uuid, type, data: { version, data, id? }, metadata: meta }
 *
 * - `data` is wrapped in an envelope with the schema `version`: the port's data may be any JSON value
 *   (a number, null, …) while EventStoreDB JSON events want an object, and the version belongs to the
 *   payload's shape. `id` sits in the envelope only for ids that are not UUIDs (see event-ids.ts).
 * - `metadata` is the EventMeta itself, unchanged, so ESDB's UI and projections show who wrote what.
 * - Read back: stream without the cluster prefix, revision Number(bigint), position = $all commit position.
 * A record that does not have this shape becomes an Anomaly (never an exception).
 */
import { type EventData, jsonEvent, type Position } from '@eventstore/db-client';
import type { Anomaly, EventMeta } from '../../../domain/event.ts';
import { ErrorCodes, TaskdError } from '../../../errors.ts';
import type { EventToAppend, LoggedEvent } from '../port.ts';
import { toEsdbEventId } from './event-ids.ts';
import { revisionNumber } from './revisions.ts';

/** The fields of a client RecordedEvent that the mapping reads (the client's type is assignable to it). */
export interface StoredRecord {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly isJson: boolean;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position?: Position;
}

export type DecodedRecord =
  | { readonly ok: true; readonly event: LoggedEvent }
  | { readonly ok: false; readonly anomaly: Anomaly };

/** The client events for an append; throws VALIDATION for data or meta that is not JSON. */
export function encodeEvents(events: readonly EventToAppend[]): EventData[] {
  return events.map((event, index) => {
    const { uuid, original } = toEsdbEventId(event.id);
    const envelope: Envelope =
      original === undefined
        ? { version: event.version, data: event.data }
        : { version: event.version, data: event.data, id: original };
    assertJson(envelope, index);
    assertJson(event.meta, index);
    return jsonEvent({ id: uuid, type: event.type, data: { ...envelope }, metadata: event.meta });
  });
}

/** The port's event for a stored record, or the anomaly that says why it cannot be one. */
export function decodeRecord(record: StoredRecord, at: { stream: string; position: number }): DecodedRecord {
  const revision = revisionNumber(record.revision);
  const problem = shapeProblem(record);
  if (problem !== undefined) {
    return {
      ok: false,
      anomaly: {
        kind: 'unparseable-event',
        message: `event ${record.id} in "${at.stream}" at revision ${revision}: ${problem}`,
        location: { source: 'eventstoredb', stream: at.stream, revision, position: at.position },
        eventType: record.type,
      },
    };
  }
  const envelope = record.data as Envelope;
  return {
    ok: true,
    event: {
      id: envelope.id ?? record.id,
      stream: at.stream,
      revision,
      position: at.position,
      type: record.type,
      version: envelope.version,
      data: envelope.data,
      meta: record.metadata as EventMeta,
    },
  };
}

interface Envelope {
  readonly version: number;
  readonly data?: unknown;
  readonly id?: string;
}

function shapeProblem(record: StoredRecord): string | undefined {
  if (!record.isJson) return 'not a JSON event';
  if (!isObject(record.data)) return 'data is not a JSON object (malformed JSON, or not written by taskd)';
  if (!Number.isInteger(record.data.version)) return 'data has no integer "version"';
  if (record.data.id !== undefined && typeof record.data.id !== 'string') return 'data "id" is not a string';
  return metaProblem(record.metadata);
}

function metaProblem(meta: unknown): string | undefined {
  if (!isObject(meta)) return 'metadata is not a JSON object';
  if (typeof meta.node !== 'string') return 'metadata has no string "node"';
  if (typeof meta.incarnation !== 'number') return 'metadata has no number "incarnation"';
  if (typeof meta.at !== 'number') return 'metadata has no number "at"';
  if (meta.epoch !== undefined && typeof meta.epoch !== 'number') return 'metadata "epoch" is not a number';
  if (meta.causationId !== undefined && typeof meta.causationId !== 'string') {
    return 'metadata "causationId" is not a string';
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

/** The client stringifies later, where a BigInt or a cycle would surface as a bare TypeError. */
function assertJson(value: unknown, index: number): void {
  try {
    JSON.stringify(value);
  } catch (error) {
    throw new TaskdError(
      ErrorCodes.VALIDATION,
      `event ${index} cannot be serialized as JSON`,
      { index },
      { cause: error },
    );
  }
}
