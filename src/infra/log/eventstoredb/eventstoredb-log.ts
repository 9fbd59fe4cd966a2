/**
 * The task log on EventStoreDB, through @eventstore/db-client (gRPC, server 22.10+).
 *
 * - Streams: `taskd-<cluster>:<stream>` (stream-names.ts); other clusters and system streams are
 *   invisible. Revisions are ESDB stream revisions; positions are $all commit positions (positions.ts).
 * - Appends are one appendToStream call: ESDB writes the whole batch or none of it.
 * - readAll reads $all and keeps this cluster's events: this client version has no server-side filter
 *   for reads, so the cost grows with everything in the database, not only with this cluster.
 *   subscribeAll filters on the server.
 *   On a secure server, reading $all needs a user in $admins (credentials in the connection string).
 * - Records that do not parse go to anomalies$ and are skipped.
 * - A server that stops answering fails calls with LOG_UNAVAILABLE after stallTimeoutMs
 *   (stall-guards.ts); subscriptions then resume by themselves (resuming-subscription.ts).
 */
import { EventStoreDBClient, FORWARDS } from '@eventstore/db-client';
import {
  BehaviorSubject,
  defer,
  EMPTY,
  filter,
  mergeMap,
  type Observable,
  of,
  Subject,
  takeUntil,
  throwError,
} from 'rxjs';
import type { Anomaly } from '../../../domain/event.ts';
import { ErrorCodes, TaskdError } from '../../../errors.ts';
import { assertBatchAcceptable, DEFAULT_MAX_BATCH_BYTES } from '../batch-size.ts';
import type { AppendResult, EventLog, EventToAppend, ExpectedRevision, LoggedEvent } from '../port.ts';
import { allSubscription$ } from './all-subscription.ts';
import { appendCall } from './append-call.ts';
import { createReadDecoder } from './decoded-reads.ts';
import { translateEsdbError } from './error-translation.ts';
import { encodeEvents } from './event-mapping.ts';
import { readPositionAfter } from './positions.ts';
import type { PositionedRecord } from './resolved-events.ts';
import {
  DEFAULT_RESUBSCRIBE,
  type ResubscribeOptions,
  resumingSubscription,
} from './resuming-subscription.ts';
import { toAppendExpectedRevision } from './revisions.ts';
import { stalledError, withinMs } from './stall-guards.ts';
import { streamPrefix, toEsdbStream } from './stream-names.ts';

export interface EventStoreDbLogOptions {
  /** e.g. `esdb://localhost:2113?tls=false`, or `esdb+discover://…` for a cluster. */
  readonly connectionString: string;
  /** Names the stream prefix: every node of one cluster passes the same name. */
  readonly cluster: string;
  /** Largest append, by the contract's measure (batch-size.ts). Default 1 MiB, the server's own default. */
  readonly maxBatchBytes?: number;
  readonly resubscribe?: Partial<ResubscribeOptions>;
  /**
   * How long to wait for a server that does not answer before failing with LOG_UNAVAILABLE: a whole
   * append, the next item of a read, the confirmation of a subscription. Default 15 000 ms, above the
   * client's own 10 s call deadline so that its error, when it has one, comes first.
   */
  readonly stallTimeoutMs?: number;
}

const DEFAULT_STALL_TIMEOUT_MS = 15_000;

/** Opens the task log of `cluster` on the EventStoreDB at `connectionString`. */
export function createEventStoreDbLog(options: EventStoreDbLogOptions): EventLog {
  const prefix = streamPrefix(options.cluster);
  const client = connect(options.connectionString);
  const maxBatchBytes = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
  const resubscribe: ResubscribeOptions = { ...DEFAULT_RESUBSCRIBE, ...options.resubscribe };
  const stallMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  const anomalies$ = new Subject<Anomaly>();
  const closed$ = new BehaviorSubject(false);
  let closing: Promise<void> | undefined;

  const reads = createReadDecoder(prefix, stallMs, anomalies$);
  const closedError = (): TaskdError =>
    new TaskdError(ErrorCodes.LOG_CLOSED, 'the eventstoredb task log is closed');
  const assertOpen = (): void => {
    if (closed$.value) throw closedError();
  };

  const eventsOf = (records$: Observable<PositionedRecord>): Observable<LoggedEvent> =>
    records$.pipe(
      mergeMap((record) => {
        if (record.decoded.ok) return of(record.decoded.event);
        anomalies$.next(record.decoded.anomaly);
        return EMPTY;
      }),
    );

  return {
    async append(
      stream: string,
      events: readonly EventToAppend[],
      expected: ExpectedRevision,
    ): Promise<AppendResult> {
      assertOpen();
      const esdbStream = toEsdbStream(prefix, stream);
      toAppendExpectedRevision(expected); // VALIDATION before anything is sent
      const eventData = encodeEvents(events);
      assertBatchAcceptable(stream, events, maxBatchBytes);
      try {
        const work = appendCall(client, stream, esdbStream, eventData, expected);
        return await withinMs(work, stallMs, () => stalledError('append', stallMs, { stream }));
      } catch (error) {
        // An append cut off by close() may or may not have been written; the caller learns the log closed.
        if (closed$.value)
          throw new TaskdError(ErrorCodes.LOG_CLOSED, closedError().message, { stream }, { cause: error });
        throw translateEsdbError(error, { operation: 'append', stream, expected });
      }
    },

    async *readStream(stream: string, fromRevision = 0): AsyncGenerator<LoggedEvent> {
      assertOpen();
      const read = client.readStream(toEsdbStream(prefix, stream), {
        fromRevision: BigInt(Math.max(0, Math.trunc(fromRevision))),
        direction: FORWARDS,
      });
      yield* reads.events(read, { operation: 'readStream', stream });
    },

    async *readAll(after?: number): AsyncGenerator<LoggedEvent> {
      assertOpen();
      const read = client.readAll({ fromPosition: readPositionAfter(after), direction: FORWARDS });
      yield* reads.events(read, { operation: 'readAll' }, after);
    },

    subscribeAll(after?: number): Observable<LoggedEvent> {
      return defer(() => {
        if (closed$.value) return throwError(closedError);
        const records$ = resumingSubscription(
          (from) => allSubscription$(client, prefix, from, stallMs),
          after,
          resubscribe,
        );
        return eventsOf(records$).pipe(takeUntil(closed$.pipe(filter(Boolean))));
      });
    },

    anomalies$: anomalies$.asObservable(),

    close(): Promise<void> {
      closing ??= (async () => {
        // Subscribers complete first, so none of them sees the cancellations dispose() causes.
        closed$.next(true);
        closed$.complete();
        reads.endAll(closedError());
        anomalies$.complete();
        await client.dispose();
      })();
      return closing;
    },
  };
}

function connect(connectionString: string): EventStoreDBClient {
  try {
    return EventStoreDBClient.connectionString(connectionString);
  } catch (error) {
    throw new TaskdError(
      ErrorCodes.CONFIG_INVALID,
      `invalid EventStoreDB connection string: ${error instanceof Error ? error.message : String(error)}`,
      {},
      { cause: error },
    );
  }
}
