/**
 * The batch limit every backend enforces, measured one way so the contract suite can build a batch
 * "just under" the limit without knowing a backend's storage format: the UTF-8 length of the JSON of
 * the events as the caller gave them. A backend whose storage adds overhead (ids, revisions, a znode
 * header) sets its limit low enough for that overhead to fit.
 */
import { ErrorCodes, TaskdError } from '../../errors.ts';
import type { EventToAppend } from './port.ts';

/** 1 MiB: ZooKeeper's default jute.maxbuffer, and a sane ceiling for one atomic append. */
export const DEFAULT_MAX_BATCH_BYTES = 1024 * 1024;

/** Bytes a batch occupies by the contract's measure. */
export function batchBytes(events: readonly EventToAppend[]): number {
  return Buffer.byteLength(JSON.stringify(events), 'utf8');
}

/**
 * Bytes by the contract's measure, from the JSON a backend already made of the same events with an
 * id each (`{"id":…,"type":…,"version":…,"data":…,"meta":…}` per event, in an array): that JSON
 * less the ids the caller did not give. Spares a second JSON.stringify of every append. Undefined
 * when an event carries other fields (then only batchBytes can say).
 */
export function batchBytesFromStored(
  events: readonly EventToAppend[],
  storedJson: string,
  ids: readonly string[],
): number | undefined {
  return batchBytesFromStoredBytes(events, Buffer.byteLength(storedJson, 'utf8'), ids);
}

/** batchBytesFromStored, given the stored JSON's UTF-8 length instead of the JSON itself. */
export function batchBytesFromStoredBytes(
  events: readonly EventToAppend[],
  storedBytes: number,
  ids: readonly string[],
): number | undefined {
  let bytes = storedBytes;
  for (const [i, event] of events.entries()) {
    for (const key of Object.keys(event)) if (!STORED_FIELDS.has(key)) return undefined;
    // `"id":"…",` is in the stored JSON only: the caller's event had no id.
    if (event.id === undefined) bytes -= Buffer.byteLength(JSON.stringify(ids[i]), 'utf8') + 6;
  }
  return bytes;
}

const STORED_FIELDS = new Set(['id', 'type', 'version', 'data', 'meta']);

/** Throws VALIDATION for an empty stream name or an empty batch: what can be told without encoding it. */
export function assertBatchShape(stream: string, events: readonly EventToAppend[]): void {
  if (stream.length === 0) {
    throw new TaskdError(ErrorCodes.VALIDATION, 'a stream name must not be empty', { stream });
  }
  if (events.length === 0) {
    throw new TaskdError(ErrorCodes.VALIDATION, `append to "${stream}" needs at least one event`, { stream });
  }
}

/** Throws VALIDATION for an empty or non-JSON batch and BATCH_TOO_LARGE above `maxBatchBytes`, before anything is written. */
export function assertBatchAcceptable(
  stream: string,
  events: readonly EventToAppend[],
  maxBatchBytes: number,
  measured?: number,
): void {
  assertBatchShape(stream, events);
  let bytes: number;
  try {
    bytes = measured ?? batchBytes(events);
  } catch (error) {
    throw new TaskdError(ErrorCodes.VALIDATION, `append to "${stream}" is not JSON: ${String(error)}`, {
      stream,
    });
  }
  if (bytes > maxBatchBytes) {
    throw new TaskdError(
      ErrorCodes.BATCH_TOO_LARGE,
      `append to "${stream}" is ${bytes} bytes, above the limit of ${maxBatchBytes}`,
      { stream, bytes, maxBatchBytes, events: events.length },
    );
  }
}
