/**
 * Global positions between the port (number) and EventStoreDB ($all Position, two bigints).
 *
 * Assumption, checked against EventStoreDB's storage writer and $all reader (server 20.10+, gRPC):
 * every event an append writes is its own committed prepare record, so in $all its commit position
 * equals its prepare position, which is the byte offset of that record in the transaction log. That
 * offset is unique per event and grows with every write, so the commit position alone is a strictly
 * growing global position. (Explicit transactions of the legacy TCP API shared one commit position;
 * taskd never writes them.) Offsets fit a JS number up to 2^53 bytes (8 PiB); beyond that we fail
 * loudly rather than round.
 *
 * A position handed back to the server is {commit: p, prepare: p}: the exact record of that event.
 */
import { type Position, type ReadPosition, START } from '@eventstore/db-client';
import { ErrorCodes, TaskdError } from '../../../errors.ts';

/** The server writes this when it does not know a position (stream reads before server 22.6). */
const UNKNOWN_POSITION = 0xffff_ffff_ffff_ffffn;

/** The port's position for an event's $all commit position. */
export function toPortPosition(commit: bigint): number {
  if (commit < 0n || commit > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new TaskdError(ErrorCodes.LOG_CORRUPT, `commit position ${commit} does not fit a number`, {
      commit: commit.toString(),
    });
  }
  return Number(commit);
}

/** The port's position of a read event, or undefined when the server did not say where it is. */
export function knownPosition(position: Position | undefined, commitPosition?: bigint): number | undefined {
  const commit = position?.commit ?? commitPosition;
  if (commit === undefined || commit === UNKNOWN_POSITION) return undefined;
  return toPortPosition(commit);
}

/**
 * Where to start a forward $all read or subscription so that every event with position > `after`
 * is delivered. The server may deliver the event AT `after` too (reads are inclusive): callers drop
 * positions ≤ after, which also makes resubscribing after an error free of duplicates.
 * `after` must be a position this log handed out (or 0): the server can only start at a record.
 */
export function readPositionAfter(after: number | undefined): ReadPosition {
  if (after === undefined || after <= 0) return START;
  if (!Number.isSafeInteger(after)) {
    throw new TaskdError(ErrorCodes.VALIDATION, `position must be an integer, got ${after}`, { after });
  }
  const at = BigInt(after);
  return { commit: at, prepare: at };
}

/** Is `position` strictly after `after` (everything is, when `after` is undefined)? */
export function isAfter(position: number, after: number | undefined): boolean {
  return after === undefined || position > after;
}
