/**
 * Splits a file into raw lines by byte, remembering each line's byte offset and 1-based number.
 * Byte-level on purpose: offsets must be exact for anomaly reports and truncation, and a corrupt
 * line may not be valid UTF-8. ("\n" never occurs inside a multi-byte UTF-8 sequence.)
 * Memory is bounded by the chunk size plus the longest line.
 */
import type { FileHandle } from 'node:fs/promises';

const NEWLINE = 0x0a;
const CHUNK_BYTES = 1024 * 1024;

export interface RawLine {
  /** The line's bytes, without its "\n". */
  readonly bytes: Buffer;
  readonly offset: number;
  readonly line: number;
  /** False only for a last fragment with no "\n": a torn write, or one still in progress. */
  readonly terminated: boolean;
}

export interface LineCursor {
  readonly offset: number;
  readonly line: number;
}

export const START_OF_FILE: LineCursor = { offset: 0, line: 1 };

/** Lines of `handle` from `from` to the end of the file as it is while reading. */
export async function* readRawLines(
  handle: FileHandle,
  from: LineCursor = START_OF_FILE,
): AsyncGenerator<RawLine> {
  const chunk = Buffer.alloc(CHUNK_BYTES);
  let readAt = from.offset;
  let lineOffset = from.offset;
  let lineNumber = from.line;
  let pending: Buffer[] = [];
  for (;;) {
    const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, readAt);
    if (bytesRead === 0) break;
    readAt += bytesRead;
    let start = 0;
    for (
      let at = chunk.indexOf(NEWLINE, 0);
      at !== -1 && at < bytesRead;
      at = chunk.indexOf(NEWLINE, start)
    ) {
      pending.push(Buffer.from(chunk.subarray(start, at)));
      const bytes = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending);
      pending = [];
      yield { bytes, offset: lineOffset, line: lineNumber, terminated: true };
      lineOffset += bytes.length + 1;
      lineNumber += 1;
      start = at + 1;
    }
    if (start < bytesRead) pending.push(Buffer.from(chunk.subarray(start, bytesRead)));
  }
  if (pending.length > 0) {
    yield { bytes: Buffer.concat(pending), offset: lineOffset, line: lineNumber, terminated: false };
  }
}
