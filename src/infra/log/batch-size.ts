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

/** Throws VALIDATION for an empty or non-JSON batch and BATCH_TOO_LARGE above `maxBatchBytes`, before anything is written. */
export function assertBatchAcceptable(
  stream: string,
  events: readonly EventToAppend[],
  maxBatchBytes: number,
): void {
  if (stream.length === 0) {
    throw new TaskdError(ErrorCodes.VALIDATION, 'a stream name must not be empty', { stream });
  }
  if (events.length === 0) {
    throw new TaskdError(ErrorCodes.VALIDATION, `append to "${stream}" needs at least one event`, { stream });
  }
  let bytes: number;
  try {
    bytes = batchBytes(events);
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
