/**
 * Where each good record of the file sits, kept in memory so reads seek instead of scanning:
 * a few numbers per record, never the events themselves.
 */
import type { LogRecord } from './log-record.ts';
import { positionsOf } from './log-record.ts';

export interface RecordEntry {
  readonly offset: number;
  /** Bytes of the line without its "\n". */
  readonly length: number;
  readonly line: number;
  readonly seq: number;
  readonly stream: string;
  readonly firstRevision: number;
  readonly firstPosition: number;
  readonly count: number;
}

/** Why a well-formed record cannot take its place after the ones already indexed. */
export type Misfit = { readonly kind: 'out_of_order'; readonly message: string };

/** A gap a record reveals: records or events that should be before it are missing. */
export type Gap = { readonly kind: 'sequence_gap' | 'revision_gap'; readonly message: string };

export class RecordIndex {
  readonly entries: RecordEntry[] = [];
  private readonly streams = new Map<string, RecordEntry[]>();

  get lastSeq(): number {
    return this.entries.at(-1)?.seq ?? 0;
  }

  get lastPosition(): number {
    const last = this.entries.at(-1);
    return last === undefined ? 0 : last.firstPosition + last.count - 1;
  }

  /** Events the stream holds by revision count (the next revision to write). */
  streamLength(stream: string): number {
    const last = this.streams.get(stream)?.at(-1);
    return last === undefined ? 0 : last.firstRevision + last.count;
  }

  /** Refuses a record that would break the order; otherwise reports the gaps it reveals. */
  check(record: LogRecord): { readonly misfit: Misfit } | { readonly gaps: readonly Gap[] } {
    const { first } = positionsOf(record);
    if (record.seq <= this.lastSeq || first <= this.lastPosition) {
      return {
        misfit: {
          kind: 'out_of_order',
          message: `record seq ${record.seq} at position ${first} does not follow seq ${this.lastSeq} at position ${this.lastPosition}`,
        },
      };
    }
    const firstRevision = record.events[0]?.revision ?? 0;
    const length = this.streamLength(record.stream);
    if (firstRevision < length) {
      return {
        misfit: {
          kind: 'out_of_order',
          message: `stream "${record.stream}" already holds revision ${firstRevision}`,
        },
      };
    }
    const gaps: Gap[] = [];
    if (record.seq !== this.lastSeq + 1) {
      gaps.push({ kind: 'sequence_gap', message: `record seq jumps from ${this.lastSeq} to ${record.seq}` });
    }
    if (firstRevision !== length) {
      gaps.push({
        kind: 'revision_gap',
        message: `stream "${record.stream}" goes from ${length} events to revision ${firstRevision}`,
      });
    }
    return { gaps };
  }

  add(entry: RecordEntry): void {
    this.entries.push(entry);
    const inStream = this.streams.get(entry.stream) ?? [];
    inStream.push(entry);
    this.streams.set(entry.stream, inStream);
  }

  /** Index in `entries` of the first record holding a position greater than `after`. */
  firstEntryAfter(after: number | undefined): number {
    if (after === undefined) return 0;
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const entry = this.entries[middle] as RecordEntry;
      if (entry.firstPosition + entry.count - 1 > after) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  /** The stream's records holding revisions at or above `fromRevision`. */
  streamEntriesFrom(stream: string, fromRevision: number): readonly RecordEntry[] {
    const entries = this.streams.get(stream) ?? [];
    return entries.filter((entry) => entry.firstRevision + entry.count > fromRevision);
  }
}

/** What an index entry needs from a record: written or read back. */
export interface RecordOutline {
  readonly seq: number;
  readonly stream: string;
  readonly events: readonly { readonly revision: number; readonly position: number }[];
}

/** The index entry for a record whose line sits at `at`. */
export function entryFor(
  record: RecordOutline,
  at: { offset: number; length: number; line: number },
): RecordEntry {
  return {
    ...at,
    seq: record.seq,
    stream: record.stream,
    firstRevision: record.events[0]?.revision ?? 0,
    firstPosition: record.events[0]?.position ?? 0,
    count: record.events.length,
  };
}
