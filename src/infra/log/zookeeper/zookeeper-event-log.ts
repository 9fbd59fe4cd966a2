/**
 * The task log on ZooKeeper, the default for a cluster (DESIGN.md §2). Layout and naming: see
 * znode-names.ts; positions: positions.ts; appends: append-batch.ts; reads and compaction:
 * log-reader.ts and compaction.ts; subscriptions: live-events.ts.
 *
 * - One append = one persistent sequential znode holding the whole batch, created in the same multi
 *   that checks and bumps the stream's head: atomic, and fenced by the expected revision.
 * - readAll lists the events parent and reads batches in sequence order; subscribeAll does the same
 *   to catch up, then follows the tip, reading each new batch by its name (live-events.ts).
 *   readStream lists the same parent and reads every batch (a batch's stream is in its data): it
 *   serves the rare paths of append (a head holding junk, an append whose outcome was not heard).
 *   compact() keeps the list bounded.
 * - Batches are kept under ZooKeeper's 1 MB znode limit: `maxBatchBytes` (default 900 000, by the
 *   contract's measure) and the encoded znode size (batch-record.ts) are both checked before
 *   anything is written.
 * - With `auth`, every znode the log creates (its root's missing ancestors included) gets a digest
 *   ACL: those credentials may do everything, nobody else anything. The session must authenticate
 *   with the same credentials (it does when the log opens it).
 * - Junk under the root is reported on anomalies$ (once per znode) and skipped, never thrown.
 * - close() is idempotent; it waits for appends in flight, ends subscriptions, and closes the session
 *   only if the log opened it.
 */
import { randomUUID } from 'node:crypto';
import { type Observable, ReplaySubject, throwError } from 'rxjs';
import { ErrorCodes, TaskdError } from '../../../errors.ts';
import {
  type Acl,
  createZooKeeperSession,
  type ZooKeeperSession,
  type ZooKeeperSessionOptions,
} from '../../zookeeper/index.ts';
import { assertBatchAcceptable, batchBytesFromStored } from '../batch-size.ts';
import type { AppendResult, EventLog, EventToAppend, ExpectedRevision, LoggedEvent } from '../port.ts';
import { type AppendDeps, appendBatch } from './append-batch.ts';
import { type PreparedBatch, prepareBatch } from './batch-record.ts';
import { type CompactionResult, type CompactOptions, compact } from './compaction.ts';
import { aclFor, ensureLayout } from './layout-setup.ts';
import { liveEvents$ } from './live-events.ts';
import { logClosedError, toLogError } from './log-errors.ts';
import { countEvents, eventAt, type ReaderDeps, readBatchAt, readSegments } from './log-reader.ts';
import { cursorAfter } from './positions.ts';
import { HeadCache } from './stream-head.ts';
import { ZnodeAnomalies } from './znode-anomalies.ts';
import { defaultRoot, type LogLayout, logLayout } from './znode-names.ts';

export type { CompactionResult, CompactOptions } from './compaction.ts';

/** By the contract's measure (batch-size.ts): leaves room for ids, envelope and request under 1 MiB. */
export const DEFAULT_ZOOKEEPER_MAX_BATCH_BYTES = 900_000;

export interface ZooKeeperEventLogOptions {
  /** Names the default root `/taskd/<cluster>/log`; every node of a cluster passes the same name. */
  readonly cluster: string;
  /** Overrides the root znode. */
  readonly root?: string;
  /** An open session to use (the caller closes it); otherwise give `connection`. */
  readonly session?: ZooKeeperSession;
  /** How to open the log's own session (closed by close()). */
  readonly connection?: Omit<ZooKeeperSessionOptions, 'auth'>;
  /** Digest credentials: the log's own session authenticates with them, and its znodes get their ACL. */
  readonly auth?: { readonly user: string; readonly password: string };
  readonly maxBatchBytes?: number;
  /** Ids for events appended without one. */
  readonly newId?: () => string;
  /** Pause before a subscription retries a read that failed for a passing reason; default 500 ms. */
  readonly retryDelayMs?: number;
}

export interface ZooKeeperEventLog extends EventLog {
  readonly root: string;
  /** Snapshots what `options.snapshot` keeps up to a position, then deletes the batches it covers. */
  compact(options: CompactOptions): Promise<CompactionResult>;
}

/** Opens the task log under its root, creating the layout when missing. */
export async function openZooKeeperEventLog(options: ZooKeeperEventLogOptions): Promise<ZooKeeperEventLog> {
  const layout = logLayout(options.root ?? defaultRoot(options.cluster));
  const acl = aclFor(options.auth);
  const session = options.session ?? openOwnSession(options);
  const ownsSession = options.session === undefined;
  try {
    await ensureLayout(session, layout, acl);
  } catch (error) {
    if (ownsSession) await session.close();
    throw toLogError(error, { root: layout.root, operation: 'open', closed: false });
  }
  return createLog({ options, layout, acl, session, ownsSession });
}

function openOwnSession(options: ZooKeeperEventLogOptions): ZooKeeperSession {
  if (options.connection === undefined) {
    throw new TaskdError(ErrorCodes.CONFIG_INVALID, 'the zookeeper task log needs a session or a connection');
  }
  return createZooKeeperSession({
    ...options.connection,
    ...(options.auth === undefined ? {} : { auth: options.auth }),
  });
}

interface LogParts {
  readonly options: ZooKeeperEventLogOptions;
  readonly layout: LogLayout;
  readonly acl: readonly Acl[];
  readonly session: ZooKeeperSession;
  readonly ownsSession: boolean;
}

function createLog({ options, layout, acl, session, ownsSession }: LogParts): ZooKeeperEventLog {
  const { root } = layout;
  const maxBatchBytes = options.maxBatchBytes ?? DEFAULT_ZOOKEEPER_MAX_BATCH_BYTES;
  const newId = options.newId ?? randomUUID;
  const anomalies = new ZnodeAnomalies();
  const closed$ = new ReplaySubject<void>(1);
  const inFlight = new Set<Promise<unknown>>();
  let closing: Promise<void> | undefined;

  const isClosed = (): boolean => closing !== undefined;
  const assertOpen = (): void => {
    if (isClosed()) throw logClosedError(root);
  };
  const portError = (operation: string) => (error: unknown) =>
    toLogError(error, { root, operation, closed: isClosed() });
  const reader: ReaderDeps = { session, layout, anomalies, assertOpen };
  const appender: AppendDeps = {
    session,
    layout,
    acl,
    anomalies,
    heads: new HeadCache(),
    countEvents: (stream) => countEvents(reader, stream),
    eventAt: (stream, revision) => eventAt(reader, stream, revision),
  };

  /** Runs `work`, tracked so that close() lets it finish; failures become the port's errors. */
  const tracked = async <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    const promise = work();
    inFlight.add(promise);
    try {
      return await promise;
    } catch (error) {
      throw portError(operation)(error);
    } finally {
      inFlight.delete(promise);
    }
  };

  async function* eventsOf(
    segments: AsyncIterable<{ readonly events: readonly LoggedEvent[] }>,
    operation: string,
  ) {
    try {
      for await (const segment of segments) yield* segment.events;
    } catch (error) {
      throw portError(operation)(error);
    }
  }

  return {
    root,

    async append(
      stream: string,
      events: readonly EventToAppend[],
      expected: ExpectedRevision,
    ): Promise<AppendResult> {
      assertOpen();
      assertExpected(stream, expected);
      // Encoded once: the contract's measure comes from the same JSON (batchBytesFromStored). A
      // batch that cannot be encoded is judged by assertBatchAcceptable first, as it always was.
      let prepared: PreparedBatch | undefined;
      let unprepared: unknown;
      try {
        prepared = prepareBatch(stream, events, newId);
      } catch (error) {
        unprepared = error;
      }
      const measured =
        prepared === undefined ? undefined : batchBytesFromStored(events, prepared.eventsJson, prepared.ids);
      assertBatchAcceptable(stream, events, maxBatchBytes, measured);
      if (prepared === undefined) throw unprepared;
      return tracked('append', () => appendBatch(appender, prepared, expected));
    },

    async *readStream(stream: string, fromRevision = 0): AsyncGenerator<LoggedEvent> {
      assertOpen();
      for await (const event of eventsOf(readSegments(reader, 0, { stream }), 'readStream')) {
        if (event.revision >= fromRevision) yield event;
      }
    },

    async *readAll(after?: number): AsyncGenerator<LoggedEvent> {
      assertOpen();
      yield* eventsOf(readSegments(reader, cursorAfter(after)), 'readAll');
    },

    subscribeAll(after?: number): Observable<LoggedEvent> {
      if (isClosed()) return throwError(() => logClosedError(root));
      return liveEvents$(
        {
          tip$: session.watchData$(layout.tip),
          tipFires$: session.watchFires$(layout.tip),
          readListed: (cursor) => readSegments(reader, cursor),
          readBatch: (sequence) => readBatchAt(reader, sequence),
          closed$,
          retryDelayMs: options.retryDelayMs ?? 500,
          toLogError: portError('subscribeAll'),
        },
        cursorAfter(after),
      );
    },

    anomalies$: anomalies.anomalies$,

    compact(compactOptions: CompactOptions): Promise<CompactionResult> {
      assertOpen();
      return tracked('compact', () => compact({ ...reader, acl }, compactOptions));
    },

    close(): Promise<void> {
      closing ??= (async () => {
        closed$.next();
        closed$.complete();
        await Promise.allSettled([...inFlight]);
        anomalies.complete();
        if (ownsSession) await session.close();
      })();
      return closing;
    },
  };
}

/** A numeric expected revision must be one a stream can be at. */
function assertExpected(stream: string, expected: ExpectedRevision): void {
  if (typeof expected === 'number' && !(Number.isSafeInteger(expected) && expected >= 0)) {
    throw new TaskdError(
      ErrorCodes.VALIDATION,
      `expected revision ${expected} of "${stream}" is not a revision`,
      {
        stream,
        expected,
      },
    );
  }
}
