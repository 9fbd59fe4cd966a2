/**
 * Reads indexed records back, several at a time in one positioned read. Each record is checked
 * again (the file may have been damaged since it was indexed): a record that no longer checks is
 * reported and skipped, never returned.
 */
import type { FileHandle } from 'node:fs/promises';
import type { Anomaly } from '../../../domain/event.ts';
import { decodeChecksummedLine } from './checksummed-line.ts';
import { type LogRecord, parseLogRecord } from './log-record.ts';
import type { RecordEntry } from './record-index.ts';

const READ_SPAN_BYTES = 1024 * 1024;

export interface RecordSlice {
  readonly entries: readonly RecordEntry[];
  readonly from: number;
  /** Exclusive. */
  readonly to: number;
}

/** The records of `slice` (in file order), reading about a MiB per call. */
export async function* readRecords(
  handle: FileHandle,
  slice: RecordSlice,
  source: string,
  report: (anomaly: Anomaly) => void,
  beforeRead: () => void,
): AsyncGenerator<LogRecord> {
  const { entries, to } = slice;
  let next = slice.from;
  while (next < to) {
    const span = spanFrom(entries, next, to);
    const first = entries[next] as RecordEntry;
    const bytes = Buffer.alloc(span.end - first.offset);
    beforeRead();
    await readFully(handle, bytes, first.offset);
    for (let index = next; index < span.stop; index++) {
      const entry = entries[index] as RecordEntry;
      const start = entry.offset - first.offset;
      const record = decodeEntry(bytes.subarray(start, start + entry.length), entry, source, report);
      if (record !== undefined) yield record;
    }
    next = span.stop;
  }
}

function spanFrom(entries: readonly RecordEntry[], start: number, to: number): { end: number; stop: number } {
  const first = entries[start] as RecordEntry;
  let stop = start + 1;
  let end = first.offset + first.length;
  for (; stop < to; stop++) {
    const entry = entries[stop] as RecordEntry;
    const entryEnd = entry.offset + entry.length;
    if (entryEnd - first.offset > READ_SPAN_BYTES) break;
    end = entryEnd;
  }
  return { end, stop };
}

async function readFully(handle: FileHandle, into: Buffer, position: number): Promise<void> {
  let filled = 0;
  while (filled < into.length) {
    const { bytesRead } = await handle.read(into, filled, into.length - filled, position + filled);
    if (bytesRead === 0) break; // the file shrank under us: the records fail their check below
    filled += bytesRead;
  }
}

function decodeEntry(
  line: Buffer,
  entry: RecordEntry,
  source: string,
  report: (anomaly: Anomaly) => void,
): LogRecord | undefined {
  const location = { source, offset: entry.offset, line: entry.line };
  const decoded = decodeChecksummedLine(line);
  if (!decoded.ok) {
    report({
      kind: decoded.problem,
      message: `record changed since it was indexed: ${decoded.message}`,
      location,
    });
    return undefined;
  }
  const parsed = parseLogRecord(decoded.value);
  if (!parsed.ok || parsed.record.seq !== entry.seq) {
    report({ kind: 'invalid_shape', message: 'record changed since it was indexed', location });
    return undefined;
  }
  return parsed.record;
}
