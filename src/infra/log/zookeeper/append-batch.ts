/**
 * One append: the batch znode is created and the stream's head is checked and bumped in ONE multi,
 * so the batch exists exactly when the head moved past the revision the caller expected.
 *
 * - Stream absent ('no_stream', 'any'): create the head (fails NODE_EXISTS if another append made
 *   it first) + create the batch.
 * - Stream present: setData on the head with the version just read (fails BAD_VERSION if another
 *   append bumped it since) + create the batch. The first append after the head's creation sets
 *   with version 0, which node-zookeeper-client's Transaction would turn into "any version"
 *   (its issue #67); the session adapter's multi pins it.
 *
 * A multi that fails on the head means another append won the race: the head is read again and the
 * expectation judged on what it says now, so a conflict carries the actual revision read after the
 * failure; 'any' and 'exists' just try again.
 *
 * A multi that fails with no answer (connection lost, deadline) is sent again, against the same head
 * version, up to MAX_RESENDS times: so a ZooKeeper server dying under the client costs a delay, not
 * an error, and never a second copy of the batch (see the resend in the loop).
 *
 * The head is not read first when this log knows it (HeadCache: its last append to the stream, or
 * its last read): the multi's version check decides either way, and a conflict is only reported
 * from a head just read. So a single writer per stream appends in one round trip.
 */
import { ErrorCodes, hasCode, TaskdError } from '../../../errors.ts';
import {
  type Acl,
  isRetryableZkError,
  type MultiOp,
  type MultiResult,
  mayHaveBeenApplied,
  type ZooKeeperSession,
} from '../../zookeeper/index.ts';
import {
  type AppendResult,
  currentRevision,
  type ExpectedRevision,
  ExpectedRevisionConflict,
  expectationHolds,
  type LoggedEvent,
} from '../port.ts';
import { encodeBatch, type PreparedBatch } from './batch-record.ts';
import { positionOf } from './positions.ts';
import { decodeHead, encodeHead, type HeadCache, type KnownHead } from './stream-head.ts';
import type { ZnodeAnomalies } from './znode-anomalies.ts';
import {
  batchPathPrefix,
  encodeStreamName,
  type LogLayout,
  sequenceOfCreatedPath,
  streamHeadPath,
} from './znode-names.ts';

const EMPTY = Buffer.alloc(0);

/** Races lost in a row before an 'any'/'exists' append gives up: a bound, not an expected case. */
const MAX_ATTEMPTS = 100;
/** Multis sent again after a passing failure (each waits up to the session's request timeout). */
const MAX_RESENDS = 3;

export interface AppendDeps {
  readonly session: ZooKeeperSession;
  readonly layout: LogLayout;
  readonly acl: readonly Acl[];
  readonly anomalies: ZnodeAnomalies;
  readonly heads: HeadCache;
  /** The length of a stream whose head holds junk, counted from its batches. */
  readonly countEvents: (stream: string) => Promise<number>;
  /** The stream's event at `revision`, if it can still be read. */
  readonly eventAt: (stream: string, revision: number) => Promise<LoggedEvent | undefined>;
}

/** Writes `prepared` to its stream if `expected` holds, atomically. */
export async function appendBatch(
  deps: AppendDeps,
  prepared: PreparedBatch,
  expected: ExpectedRevision,
): Promise<AppendResult> {
  const { session, layout, acl, heads } = deps;
  const { stream, count } = prepared;
  const encoded = encodeStreamName(stream);
  const headPath = streamHeadPath(layout, encoded);
  // What the head is believed to be (a 'no_stream' append bets on absent); a belief that fails the
  // expectation is read again before it counts, and a wrong one only fails the multi.
  let known = heads.get(stream) ?? (expected === 'no_stream' ? null : undefined);
  // Set when a multi failed without an answer: it may have been written (see resend below).
  let unheard: { readonly length: number; readonly error: unknown } | undefined;
  let resends = 0;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const fresh = known === undefined;
    const head = known === undefined ? await readHead(deps, headPath, stream) : known;
    heads.remember(stream, head);
    const length = head?.length ?? 0;
    if (!expectationHolds(expected, length)) {
      if (fresh) throw new ExpectedRevisionConflict(stream, expected, currentRevision(length));
      known = undefined;
      continue;
    }
    const data = encodeHead(length + count);
    const headOp: MultiOp =
      head === null
        ? { op: 'create', path: headPath, data, acl }
        : { op: 'setData', path: headPath, data, version: head.version };
    const batchOp: MultiOp = {
      op: 'create',
      path: batchPathPrefix(layout),
      data: encodeBatch(prepared, length),
      sequential: true,
      acl,
    };
    // Any version: appends to different streams never conflict here; live readers watch it.
    const tipOp: MultiOp = { op: 'setData', path: layout.tip, data: EMPTY, version: -1 };
    let results: MultiResult[];
    try {
      results = await session.multi([headOp, batchOp, tipOp]);
    } catch (error) {
      heads.forget(stream);
      if (isRetryableZkError(error) && resends < MAX_RESENDS) {
        // Resend against the SAME head version: if the unheard multi was written, this one loses
        // the race on the head (both cannot win), and the batch found at `length` says it was ours.
        resends += 1;
        if (mayHaveBeenApplied(error)) unheard = { length, error };
        known = head;
        continue;
      }
      if (!lostTheRace(error)) throw unavailable(stream, error, unheard !== undefined);
      if (unheard !== undefined) {
        const written = await deps.eventAt(stream, unheard.length);
        if (written?.id === prepared.firstId) {
          return { nextExpectedRevision: unheard.length + count - 1, position: written.position + count - 1 };
        }
        unheard = undefined; // the head moved past that version without it: it can never be written
      }
      known = undefined;
      continue;
    }
    const [headResult, created] = results;
    if (created?.op !== 'create') throw new TaskdError(ErrorCodes.LOG_UNAVAILABLE, 'multi: no create result');
    const version = headResult?.op === 'setData' ? headResult.stat.version : 0;
    heads.remember(stream, { version, length: length + count });
    const sequence = sequenceOfCreatedPath(created.path);
    return { nextExpectedRevision: length + count - 1, position: positionOf(sequence, count - 1) };
  }
  throw new TaskdError(
    ErrorCodes.LOG_UNAVAILABLE,
    `append to "${stream}" lost the race for its head ${MAX_ATTEMPTS} times in a row`,
    { stream, attempts: MAX_ATTEMPTS },
  );
}

/** The port's error for a failure after which this append may or may not have been written. */
function unavailable(stream: string, error: unknown, unheardBefore: boolean): unknown {
  if (!unheardBefore && !mayHaveBeenApplied(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new TaskdError(
    ErrorCodes.LOG_UNAVAILABLE,
    `append to "${stream}" failed and may have been written: ${reason}`,
    { stream, mayHaveBeenApplied: true, ...(error instanceof TaskdError ? { zkCode: error.code } : {}) },
    { cause: error },
  );
}

/** The head as ZooKeeper has it now; junk is reported and its length counted from the batches. */
async function readHead(deps: AppendDeps, headPath: string, stream: string): Promise<KnownHead | null> {
  const head = decodeHead(await deps.session.getData(headPath));
  if (head === null) return null;
  if (head.length !== undefined) return { version: head.version, length: head.length };
  deps.anomalies.report({
    kind: 'unparseable-stream-head',
    path: headPath,
    stream,
    message: 'not a stream head; its length is counted from the batches and rewritten',
  });
  return { version: head.version, length: await deps.countEvents(stream) };
}

/** Did the multi fail on the head (op 0) because another append changed it first? */
function lostTheRace(error: unknown): boolean {
  const onHead = error instanceof TaskdError && error.details.index === 0;
  return (
    onHead &&
    (hasCode(error, ErrorCodes.ZK_NODE_EXISTS) ||
      hasCode(error, ErrorCodes.ZK_BAD_VERSION) ||
      hasCode(error, ErrorCodes.ZK_NO_NODE))
  );
}
