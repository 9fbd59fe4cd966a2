/**
 * Stream revisions between the port and EventStoreDB. Both count a stream's events from 0 and name
 * the revision of the stream's LAST event as the expectation, so numbers map one to one; only the
 * type changes (number ↔ bigint) and the words ('exists' ↔ STREAM_EXISTS).
 */
import {
  ANY,
  type AppendExpectedRevision,
  type CurrentRevision,
  NO_STREAM,
  STREAM_EXISTS,
} from '@eventstore/db-client';
import { ErrorCodes, TaskdError } from '../../../errors.ts';
import type { ExpectedRevision } from '../port.ts';

/** The client's expectedRevision for the port's `expected`. */
export function toAppendExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      if (!Number.isSafeInteger(expected) || expected < 0) {
        throw new TaskdError(
          ErrorCodes.VALIDATION,
          `expected revision must be 'no_stream', 'exists', 'any' or an integer ≥ 0, got ${String(expected)}`,
          { expected },
        );
      }
      return BigInt(expected);
  }
}

/** The port's expectation for the client's expectedRevision (what a WrongExpectedVersionError carries). */
export function fromAppendExpectedRevision(expected: AppendExpectedRevision): ExpectedRevision {
  switch (expected) {
    case NO_STREAM:
      return 'no_stream';
    case STREAM_EXISTS:
      return 'exists';
    case ANY:
      return 'any';
    default:
      return revisionNumber(expected);
  }
}

/** Where a stream is, as the port says it: the last event's revision, or 'no_stream'. */
export function fromCurrentRevision(current: CurrentRevision): number | 'no_stream' {
  // The client reports a missing stream as NO_STREAM; older servers sent -1 in the error metadata.
  if (current === NO_STREAM || current < 0n) return 'no_stream';
  return revisionNumber(current);
}

/** A revision as a number; revisions count events, so they stay far below 2^53. */
export function revisionNumber(revision: bigint): number {
  if (revision > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new TaskdError(ErrorCodes.LOG_CORRUPT, `stream revision ${revision} does not fit a number`, {
      revision: revision.toString(),
    });
  }
  return Number(revision);
}
