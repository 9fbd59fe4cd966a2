/**
 * The embedded, single-node task log: one append-only file, one checksummed JSON line per append
 * (see log-record.ts for the format and checksummed-line.ts for the checksum).
 *
 * - Global position: the event's sequence number in the file (1, 2, 3…), stored in the record.
 * - One writer per file, enforced by a lock (LOG_LOCKED names the holder). Open `readOnly` to
 *   replay a log, even while its writer runs: no lock is taken and nothing is ever modified.
 * - Recovery on open for writing: a torn or corrupt tail is reported, kept aside and cut off;
 *   a corrupt record in the middle is reported and skipped, and the good records after it stay.
 *   Known limit: if the skipped record was a stream's last, the next append to that stream reuses
 *   its revisions (the revision check only knows what it can read).
 * - Live events: the writer pushes them to its subscribers as it appends. A read-only opener polls
 *   the file every `pollIntervalMs` while someone is subscribed (fs.watch is unreliable across
 *   filesystems and editors); its reads also look for new records first.
 */
import { randomUUID } from 'node:crypto';
import { type Observable, ReplaySubject, Subject, throwError } from 'rxjs';
import type { Anomaly } from '../../../domain/event.ts';
import { ErrorCodes, TaskdError } from '../../../errors.ts';
import { assertBatchShape, DEFAULT_MAX_BATCH_BYTES } from '../batch-size.ts';
import { catchUpThenLive } from '../catch-up-then-live.ts';
import type { AppendResult, EventLog, EventToAppend, ExpectedRevision, LoggedEvent } from '../port.ts';
import { type OpenedLogFile, openForWriting, openReadOnly } from './log-file-open.ts';
import { type LogRecord, loggedEvents } from './log-record.ts';
import { ReadOnlyPoller } from './read-only-poller.ts';
import { type AppenderStats, type FsyncPolicy, RecordAppender } from './record-appender.ts';
import { readRecords } from './record-reader.ts';
import { scanRecords } from './record-scan.ts';
import { type GroupedAppend, RecordWriter } from './record-writer.ts';
import { SerialQueue } from './serial-queue.ts';

export type { FsyncPolicy } from './record-appender.ts';

export interface FileEventLogOptions {
  readonly path: string;
  /** No lock, no writes, no tail cut: for replaying a log (exported, or still being written). */
  readonly readOnly?: boolean;
  /** Default 'always'. */
  readonly fsync?: FsyncPolicy;
  /** Default 1 MiB, measured by batchBytes(). */
  readonly maxBatchBytes?: number;
  /** Read-only live polling period; default 200 ms. */
  readonly pollIntervalMs?: number;
  /** A writer lock not refreshed for this long is taken over; default 10 s. */
  readonly lockStaleMs?: number;
  readonly newId?: () => string;
}

export interface FileLogStats extends AppenderStats {
  readonly records: number;
  readonly lastPosition: number;
}

export interface FileEventLog extends EventLog {
  readonly path: string;
  readonly readOnly: boolean;
  /** Counters for metrics and tests. */
  stats(): FileLogStats;
}

const ANOMALIES_KEPT = 1000;

/** Opens a file task log: for writing (the default) or read-only. */
export async function openFileEventLog(options: FileEventLogOptions): Promise<FileEventLog> {
  const { path } = options;
  const readOnly = options.readOnly ?? false;
  // Replayed to late subscribers: what recovery found on open is seen after `await open…`.
  const anomalies$ = new ReplaySubject<Anomaly>(ANOMALIES_KEPT);
  const report = (anomaly: Anomaly): void => anomalies$.next(anomaly);
  const live$ = new Subject<LoggedEvent>();
  const queue = new SerialQueue();
  let writer: RecordWriter | undefined;
  const opened: OpenedLogFile = readOnly
    ? await openReadOnly(path, report)
    : await openForWriting(
        path,
        {
          staleMs: options.lockStaleMs ?? 10_000,
          onCompromised: (error) => {
            const message = `writer lock of ${path} lost: ${error.message}`;
            report({ kind: 'lock_compromised', message, location: { source: path } });
            writer?.breakWith(
              new TaskdError(ErrorCodes.LOG_UNAVAILABLE, message, { path }, { cause: error }),
            );
          },
        },
        report,
      );
  const { handle, index } = opened;
  let cursor = opened.end;
  if (!readOnly) {
    const appender = new RecordAppender(handle, cursor.offset, options.fsync ?? 'always', path, (error) =>
      report({ kind: 'fsync_failed', message: error.message, location: { source: path } }),
    );
    const maxBatchBytes = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
    writer = new RecordWriter(appender, index, cursor.line, options.newId ?? randomUUID, maxBatchBytes);
  }
  let closing: Promise<void> | undefined;

  const closedError = (): TaskdError =>
    new TaskdError(ErrorCodes.LOG_CLOSED, `task log ${path} is closed`, { path });
  const assertOpen = (): void => {
    if (closing !== undefined) throw closedError();
  };

  // Appends that arrive while one is being written (and fsynced) go out together next: one write
  // and one fsync for all of them, each still its own record (record-writer.ts).
  let waiting: {
    readonly append: GroupedAppend;
    readonly resolve: (result: AppendResult) => void;
    readonly reject: (error: unknown) => void;
  }[] = [];
  const writeWaiting = async (activeWriter: RecordWriter): Promise<void> => {
    const group = waiting;
    waiting = [];
    let outcomes: Awaited<ReturnType<RecordWriter['writeGroup']>>;
    try {
      outcomes = await activeWriter.writeGroup(group.map((w) => w.append));
    } catch (error) {
      for (const { reject } of group) reject(error);
      return;
    }
    for (const [i, outcome] of outcomes.entries()) {
      const { resolve, reject } = group[i] as (typeof group)[number];
      if (!outcome.ok) {
        reject(outcome.error);
        continue;
      }
      for (const event of outcome.written.events) live$.next(event);
      resolve(outcome.written.result);
    }
  };

  /** Read-only: index what the writer added since the last look, and push it live. */
  const refresh = (): Promise<void> =>
    queue.run(async () => {
      if (closing !== undefined) return;
      const onRecord = (record: LogRecord): void => {
        for (const event of loggedEvents(record)) live$.next(event);
      };
      cursor = (await scanRecords(handle, cursor, index, { source: path, report, onRecord })).end;
    });

  async function* readAfter(after: number | undefined): AsyncGenerator<LoggedEvent> {
    assertOpen();
    if (readOnly) await refresh();
    const slice = { entries: index.entries, from: index.firstEntryAfter(after), to: index.entries.length };
    for await (const record of readRecords(handle, slice, path, report, assertOpen)) {
      for (const event of loggedEvents(record))
        if (after === undefined || event.position > after) yield event;
    }
  }

  const polling = new ReadOnlyPoller(options.pollIntervalMs ?? 200, () =>
    refresh().catch((error: unknown) =>
      report({ kind: 'read_failed', message: String(error), location: { source: path } }),
    ),
  );
  const subscribersLive$ = readOnly ? polling.whileSubscribed(live$) : live$.asObservable();

  return {
    path,
    readOnly,

    async append(
      stream: string,
      events: readonly EventToAppend[],
      expected: ExpectedRevision,
    ): Promise<AppendResult> {
      assertOpen();
      if (writer === undefined) {
        throw new TaskdError(ErrorCodes.LOG_UNAVAILABLE, `task log ${path} is open read-only`, { path });
      }
      // The batch limit is checked as the writer encodes the append (record-writer.ts).
      assertBatchShape(stream, events);
      const activeWriter = writer;
      const prepared = activeWriter.prepare(events);
      return new Promise<AppendResult>((resolve, reject) => {
        waiting.push({ append: { stream, events: prepared, given: events, expected }, resolve, reject });
        if (waiting.length === 1) void queue.run(() => writeWaiting(activeWriter));
      });
    },

    async *readStream(stream: string, fromRevision = 0): AsyncGenerator<LoggedEvent> {
      assertOpen();
      if (readOnly) await refresh();
      const entries = index.streamEntriesFrom(stream, fromRevision);
      for await (const record of readRecords(
        handle,
        { entries, from: 0, to: entries.length },
        path,
        report,
        assertOpen,
      )) {
        for (const event of loggedEvents(record)) if (event.revision >= fromRevision) yield event;
      }
    },

    readAll: readAfter,

    subscribeAll(after?: number): Observable<LoggedEvent> {
      if (closing !== undefined) return throwError(closedError);
      return catchUpThenLive(readAfter, subscribersLive$, after);
    },

    anomalies$: anomalies$.asObservable(),

    stats(): FileLogStats {
      const counts = writer?.stats ?? { writes: 0, fsyncs: 0, bytes: 0 };
      return { ...counts, records: index.entries.length, lastPosition: index.lastPosition };
    },

    close(): Promise<void> {
      closing ??= (async () => {
        await queue.drained(); // appends accepted before close still complete
        polling.stop();
        await writer?.stop();
        live$.complete();
        await handle.close();
        await opened.lock?.release();
        anomalies$.complete();
      })();
      return closing;
    },
  };
}
