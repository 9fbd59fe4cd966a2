/**
 * The in-memory EventLog, for unit tests. Same semantics as every backend (the contract suite runs on
 * it): positions are 1, 2, 3… across all streams; appends are atomic because they run synchronously
 * inside one call; subscribeAll catches up then goes live without loss or duplicates.
 */
import { randomUUID } from 'node:crypto';
import type { Observable } from 'rxjs';
import { Subject, takeUntil, throwError } from 'rxjs';
import type { Anomaly } from '../../../domain/event.ts';
import { ErrorCodes, TaskdError } from '../../../errors.ts';
import { assertBatchAcceptable, DEFAULT_MAX_BATCH_BYTES } from '../batch-size.ts';
import { catchUpThenLive } from '../catch-up-then-live.ts';
import {
  type AppendResult,
  currentRevision,
  type EventLog,
  type EventToAppend,
  type ExpectedRevision,
  ExpectedRevisionConflict,
  expectationHolds,
  type LoggedEvent,
} from '../port.ts';
import { createMemoryStore, frozenCopy, type MemoryStore } from './memory-store.ts';

export interface MemoryEventLogOptions {
  /** Share a store between clients (a second writer, a reopen); a fresh one by default. */
  readonly store?: MemoryStore;
  readonly maxBatchBytes?: number;
  /** Ids for events appended without one. */
  readonly newId?: () => string;
}

/** Opens a client on an in-memory store. */
export function createMemoryEventLog(options: MemoryEventLogOptions = {}): EventLog {
  const store = options.store ?? createMemoryStore();
  const maxBatchBytes = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
  const newId = options.newId ?? randomUUID;
  const closed$ = new Subject<void>();
  const anomalies$ = new Subject<Anomaly>();
  let closed = false;

  const closedError = (): TaskdError =>
    new TaskdError(ErrorCodes.LOG_CLOSED, 'the in-memory task log is closed');

  async function* readAfter(after: number | undefined): AsyncGenerator<LoggedEvent> {
    if (closed) throw closedError();
    const end = store.all.length;
    for (let index = store.firstIndexAfter(after); index < end; index++) {
      const event = store.all[index];
      if (event !== undefined) yield event;
    }
  }

  return {
    async append(
      stream: string,
      events: readonly EventToAppend[],
      expected: ExpectedRevision,
    ): Promise<AppendResult> {
      if (closed) throw closedError();
      assertBatchAcceptable(stream, events, maxBatchBytes);
      const length = store.streamEvents(stream).length;
      if (!expectationHolds(expected, length)) {
        throw new ExpectedRevisionConflict(stream, expected, currentRevision(length));
      }
      const firstPosition = store.all.length + 1;
      const logged = events.map(
        (event, index): LoggedEvent =>
          Object.freeze({
            id: event.id ?? newId(),
            stream,
            revision: length + index,
            position: firstPosition + index,
            type: event.type,
            version: event.version,
            data: frozenCopy(event.data),
            meta: frozenCopy(event.meta),
          }),
      );
      store.commit(stream, logged);
      return {
        nextExpectedRevision: length + events.length - 1,
        position: firstPosition + events.length - 1,
      };
    },

    async *readStream(stream: string, fromRevision = 0): AsyncGenerator<LoggedEvent> {
      if (closed) throw closedError();
      const events = store.streamEvents(stream);
      const end = events.length;
      for (let revision = Math.max(0, fromRevision); revision < end; revision++) {
        const event = events[revision];
        if (event !== undefined) yield event;
      }
    },

    readAll: readAfter,

    subscribeAll(after?: number): Observable<LoggedEvent> {
      if (closed) return throwError(closedError);
      return catchUpThenLive(readAfter, store.appended$.pipe(takeUntil(closed$)), after);
    },

    anomalies$: anomalies$.asObservable(),

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      closed$.next();
      closed$.complete();
      anomalies$.complete();
    },
  };
}
