/**
 * Turns an append into one record line: checks the expected revision against the index, numbers
 * the events, validates the record as a reader will (so nothing unreadable is ever written), writes
 * it, and indexes it. Called inside the log's serial queue: check-then-write is its critical section.
 */
import { ErrorCodes, TaskdError } from '../../../errors.ts';
import {
  type AppendResult,
  currentRevision,
  type EventToAppend,
  type ExpectedRevision,
  ExpectedRevisionConflict,
  expectationHolds,
  type LoggedEvent,
} from '../port.ts';
import { encodeChecksummedLine } from './checksummed-line.ts';
import { loggedEvents, parseLogRecord } from './log-record.ts';
import type { AppenderStats, RecordAppender } from './record-appender.ts';
import { entryFor, type RecordIndex } from './record-index.ts';

/** An event to append with its id settled. */
export interface PreparedEvent extends EventToAppend {
  readonly id: string;
}

export interface Written {
  readonly result: AppendResult;
  /** The events as a reader will get them back (after the JSON round trip). */
  readonly events: readonly LoggedEvent[];
}

export class RecordWriter {
  constructor(
    private readonly appender: RecordAppender,
    private readonly index: RecordIndex,
    private nextLine: number,
    private readonly newId: () => string,
  ) {}

  get stats(): AppenderStats {
    return this.appender.stats;
  }

  /** Settles ids outside the critical section. */
  prepare(events: readonly EventToAppend[]): readonly PreparedEvent[] {
    return events.map((event) => ({ ...event, id: event.id ?? this.newId() }));
  }

  /** Appends one record, or throws ExpectedRevisionConflict / VALIDATION / LOG_UNAVAILABLE having written nothing. */
  async write(
    stream: string,
    events: readonly PreparedEvent[],
    expected: ExpectedRevision,
  ): Promise<Written> {
    const length = this.index.streamLength(stream);
    if (!expectationHolds(expected, length)) {
      throw new ExpectedRevisionConflict(stream, expected, currentRevision(length));
    }
    const firstPosition = this.index.lastPosition + 1;
    const record = {
      seq: this.index.lastSeq + 1,
      stream,
      events: events.map((event, i) => ({
        id: event.id,
        revision: length + i,
        position: firstPosition + i,
        type: event.type,
        version: event.version,
        data: event.data,
        meta: event.meta,
      })),
    };
    const line = encodeChecksummedLine(record);
    const readBack = parseLogRecord(JSON.parse(line.toString('utf8')));
    if (!readBack.ok) {
      throw new TaskdError(
        ErrorCodes.VALIDATION,
        `append to "${stream}" is not a valid record: ${readBack.message}`,
        {
          stream,
        },
      );
    }
    const offset = await this.appender.write(line);
    this.index.add(entryFor(record, { offset, length: line.length - 1, line: this.nextLine }));
    this.nextLine += 1;
    return {
      result: {
        nextExpectedRevision: length + events.length - 1,
        position: firstPosition + events.length - 1,
      },
      events: loggedEvents(readBack.record),
    };
  }

  breakWith(error: TaskdError): void {
    this.appender.breakWith(error);
  }

  /** Stops the fsync timer and flushes. */
  stop(): Promise<void> {
    return this.appender.stop();
  }
}
