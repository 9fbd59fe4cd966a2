/**
 * What the client's reads and subscriptions yield (ResolvedEvent) → a decoded record at its position,
 * or nothing when the event is not this cluster's (system streams, other clusters, link-only entries).
 */
import type { Position } from '@eventstore/db-client';
import { ErrorCodes, TaskdError } from '../../../errors.ts';
import { type DecodedRecord, decodeRecord, type StoredRecord } from './event-mapping.ts';
import { knownPosition } from './positions.ts';
import { fromEsdbStream } from './stream-names.ts';

/** The parts of the client's ResolvedEvent / AllStreamResolvedEvent that we read. */
export interface ResolvedLike {
  readonly event?: StoredRecord & { readonly position?: Position };
  readonly commitPosition?: bigint;
}

/** A decoded record (event or anomaly) and its global position. */
export interface PositionedRecord {
  readonly position: number;
  readonly decoded: DecodedRecord;
}

/** The record at its position, or undefined when it is not one of this cluster's events. */
export function positionedRecord(resolved: ResolvedLike, prefix: string): PositionedRecord | undefined {
  const record = resolved.event;
  if (record === undefined) return undefined;
  const stream = fromEsdbStream(prefix, record.streamId);
  if (stream === undefined) return undefined;
  const position = knownPosition(record.position, resolved.commitPosition);
  if (position === undefined) {
    // Servers before 22.6 leave the position out of stream reads. Without it the port's promise of
    // one global order cannot be kept, so this is a deployment error, not a bad record.
    throw new TaskdError(
      ErrorCodes.CONFIG_INVALID,
      `EventStoreDB gave no position for event ${record.id} in "${record.streamId}": the eventstoredb task log needs server 22.10 or later`,
      { stream, eventId: record.id },
    );
  }
  return { position, decoded: decodeRecord(record, { stream, position }) };
}
