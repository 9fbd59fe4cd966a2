/**
 * Turns appends into record lines: numbers the events, checks each append against the batch limit
 * (measured off its line: record-measure.ts) and its expected revision against the index, validates
 * each record as a reader will (so nothing unreadable is ever written), writes them, and indexes
 * them. Called inside the log's serial queue: check-then-write is its critical section. Appends
 * queued together are written together, with one fsync for all of them (group commit): each still
 * gets its own record, checked and numbered after the ones before it.
 */
import { ErrorCodes, TaskdError } from '../../../errors.ts';
import { assertBatchAcceptable } from '../batch-size.ts';
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
import { loggedEvents, parseLogRecord, recordOf } from './log-record.ts';
import type { AppenderStats, RecordAppender } from './record-appender.ts';
import { entryFor, type RecordIndex, type RecordOutline } from './record-index.ts';
import { appendBytesInLine, type MeasuredRecord } from './record-measure.ts';

/** An event to append with its id settled. */
export interface PreparedEvent extends EventToAppend {
  readonly id: string;
}

export interface Written {
  readonly result: AppendResult;
  /** The events as a reader will get them back (after the JSON round trip). */
  readonly events: readonly LoggedEvent[];
}

/** One append of a group: what to write, and how it turned out. */
export interface GroupedAppend {
  readonly stream: string;
  readonly events: readonly PreparedEvent[];
  /** The events as the caller gave them (ids and all): what the batch limit measures. */
  readonly given: readonly EventToAppend[];
  readonly expected: ExpectedRevision;
}

export type GroupOutcome =
  | { readonly ok: true; readonly written: Written }
  | { readonly ok: false; readonly error: unknown };

interface Staged {
  readonly record: RecordOutline;
  readonly line: Buffer;
  readonly written: Written;
}

export class RecordWriter {
  constructor(
    private readonly appender: RecordAppender,
    private readonly index: RecordIndex,
    private nextLine: number,
    private readonly newId: () => string,
    private readonly maxBatchBytes: number,
  ) {}

  get stats(): AppenderStats {
    return this.appender.stats;
  }

  /** Settles ids outside the critical section. */
  prepare(events: readonly EventToAppend[]): readonly PreparedEvent[] {
    return events.map((event) => ({ ...event, id: event.id ?? this.newId() }));
  }

  /**
   * Appends each of `appends` as its own record, in order, with one write and one fsync: an append
   * whose expectation fails, or that is not a valid record, fails alone and writes nothing; a write
   * that fails fails them all, having written nothing.
   */
  async writeGroup(appends: readonly GroupedAppend[]): Promise<GroupOutcome[]> {
    const outcomes: (GroupOutcome | Staged)[] = [];
    const lengths = new Map<string, number>();
    let seq = this.index.lastSeq;
    let position = this.index.lastPosition;
    for (const append of appends) {
      const length = lengths.get(append.stream) ?? this.index.streamLength(append.stream);
      try {
        const staged = this.stage(append, length, seq + 1, position + 1);
        outcomes.push(staged);
        lengths.set(append.stream, length + append.events.length);
        seq += 1;
        position += append.events.length;
      } catch (error) {
        outcomes.push({ ok: false, error });
      }
    }
    const staged = outcomes.filter((o): o is Staged => 'line' in o);
    if (staged.length > 0) {
      try {
        let offset = await this.appender.write(Buffer.concat(staged.map((s) => s.line)));
        for (const { record, line } of staged) {
          this.index.add(entryFor(record, { offset, length: line.length - 1, line: this.nextLine }));
          this.nextLine += 1;
          offset += line.length;
        }
      } catch (error) {
        return outcomes.map((o) => ('line' in o ? { ok: false, error } : o));
      }
    }
    return outcomes.map((o) => ('line' in o ? { ok: true, written: o.written } : o));
  }

  /** The record of one append after `length` events of its stream, at `seq` and `firstPosition`. */
  private stage(append: GroupedAppend, length: number, seq: number, firstPosition: number): Staged {
    const { stream, events, given, expected } = append;
    const record = recordOf(stream, events, { seq, revision: length, position: firstPosition });
    const line = this.encode(record, stream, given);
    if (!expectationHolds(expected, length)) {
      throw new ExpectedRevisionConflict(stream, expected, currentRevision(length));
    }
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
    const written = {
      result: {
        nextExpectedRevision: length + events.length - 1,
        position: firstPosition + events.length - 1,
      },
      events: loggedEvents(readBack.record),
    };
    return { record, line, written };
  }

  /**
   * The record's line, if the append is within the batch limit (measured off the line: one encoding
   * per append); a batch that cannot be encoded gets batch-size.ts's VALIDATION error.
   */
  private encode(record: MeasuredRecord, stream: string, given: readonly EventToAppend[]): Buffer {
    let line: Buffer;
    try {
      line = encodeChecksummedLine(record);
    } catch (error) {
      assertBatchAcceptable(stream, given, this.maxBatchBytes);
      throw error;
    }
    assertBatchAcceptable(stream, given, this.maxBatchBytes, appendBytesInLine(line, record, given));
    return line;
  }

  breakWith(error: TaskdError): void {
    this.appender.breakWith(error);
  }

  /** Stops the fsync timer and flushes. */
  stop(): Promise<void> {
    return this.appender.stop();
  }
}
