/**
 * Reads a log file from a cursor, indexing every good record. An invalid line FOLLOWED by a good
 * record is corruption in the middle: reported with its offset and line, skipped, kept in the file.
 * Invalid lines with no good record after them (a torn or half-written last append) form the TAIL:
 * returned to the caller, which cuts it off (the writer) or waits for it to complete (a reader).
 */
import type { FileHandle } from 'node:fs/promises';
import type { Anomaly } from '../../../domain/event.ts';
import { decodeChecksummedLine } from './checksummed-line.ts';
import { type LineCursor, type RawLine, readRawLines } from './line-reader.ts';
import { type LogRecord, parseLogRecord } from './log-record.ts';
import { entryFor, type Gap, type RecordIndex } from './record-index.ts';

export interface ScanTail {
  readonly offset: number;
  readonly line: number;
  readonly bytes: number;
  /** What is wrong with the tail's first line. */
  readonly reason: string;
}

export interface ScanResult {
  /** Just after the last good record: where the next scan (or the next append) starts. */
  readonly end: LineCursor;
  readonly tail?: ScanTail;
}

/** Where a scan sends what it finds. */
export interface ScanSink {
  /** The file's name in anomaly locations. */
  readonly source: string;
  readonly report: (anomaly: Anomaly) => void;
  readonly onRecord: (record: LogRecord) => void;
}

type Verdict =
  | { readonly ok: true; readonly record: LogRecord; readonly gaps: readonly Gap[] }
  | { readonly ok: false; readonly anomaly: Anomaly };

/**
 * Scans `handle` from `from`, adding good records to `index` (and handing each to `onRecord`, which
 * must not keep them all: a log can be large) and reporting corruption in the middle.
 */
export async function scanRecords(
  handle: FileHandle,
  from: LineCursor,
  index: RecordIndex,
  sink: ScanSink,
): Promise<ScanResult> {
  const { source, report, onRecord } = sink;
  let end = from;
  let unplaced: Anomaly[] = [];
  let fileEnd = from.offset;
  for await (const raw of readRawLines(handle, from)) {
    fileEnd = raw.offset + raw.bytes.length + (raw.terminated ? 1 : 0);
    const verdict = judge(raw, index, source);
    if (!verdict.ok) {
      unplaced.push(verdict.anomaly);
      continue;
    }
    // A seq gap right after reported bad lines is those lines: say it once.
    const gaps =
      unplaced.length > 0 ? verdict.gaps.filter((gap) => gap.kind !== 'sequence_gap') : verdict.gaps;
    for (const anomaly of unplaced) report(anomaly);
    unplaced = [];
    for (const gap of gaps) report({ ...gap, location: { source, offset: raw.offset, line: raw.line } });
    index.add(entryFor(verdict.record, { offset: raw.offset, length: raw.bytes.length, line: raw.line }));
    onRecord(verdict.record);
    end = { offset: raw.offset + raw.bytes.length + 1, line: raw.line + 1 };
  }
  const first = unplaced[0];
  if (first === undefined) return { end };
  return {
    end,
    tail: { offset: end.offset, line: end.line, bytes: fileEnd - end.offset, reason: first.message },
  };
}

function judge(raw: RawLine, index: RecordIndex, source: string): Verdict {
  const location = { source, offset: raw.offset, line: raw.line };
  if (!raw.terminated) {
    return { ok: false, anomaly: { kind: 'torn_tail', message: 'last line has no newline', location } };
  }
  const decoded = decodeChecksummedLine(raw.bytes);
  if (!decoded.ok)
    return { ok: false, anomaly: { kind: decoded.problem, message: decoded.message, location } };
  const parsed = parseLogRecord(decoded.value);
  if (!parsed.ok) return { ok: false, anomaly: { kind: 'invalid_shape', message: parsed.message, location } };
  const fit = index.check(parsed.record);
  if ('misfit' in fit) return { ok: false, anomaly: { ...fit.misfit, location } };
  return { ok: true, record: parsed.record, gaps: fit.gaps };
}
