/**
 * A file's lines, a chunk at a time, seen in place: for replaying journals of millions of lines,
 * where a copy, an object and an await per line cost more than decoding the line. Byte-level like
 * line-reader.ts (offsets must be exact, a corrupt line may not be UTF-8); a line longer than a
 * chunk is gathered into a buffer of its own. Memory: two chunks plus the longest line.
 */
import { isAscii } from 'node:buffer';
import type { FileHandle } from 'node:fs/promises';

const NEWLINE = 0x0a;
/**
 * ~130 journal lines: few waits per file, and a chunk's items are gone before the young-generation
 * GC could promote them (with 512 KiB chunks a 1M-event replay's peak RSS grew by half).
 */
const CHUNK_BYTES = 32 * 1024;

/** Two chunk buffers: one looked at while the next chunk is read into the other. */
export type ChunkBuffers = readonly [Buffer, Buffer];

/** Buffers for `chunkedLines`, to reuse from one file to the next. */
export function chunkBuffers(): ChunkBuffers {
  return [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)];
}

/** Where a line sits and how to read it: `bytes[start, end)` without its "\n". */
export interface LineView {
  bytes: Buffer;
  start: number;
  end: number;
  /** The same bytes as a string when they are plain ASCII (then `text.slice(start, end)` is the line). */
  text: string | undefined;
  offset: number;
  /** 1-based. */
  line: number;
  /** False only for a last fragment with no "\n": a torn write, or one still in progress. */
  terminated: boolean;
}

/**
 * Calls `onLine` for each line of `handle`, synchronously within a chunk, and yields after each
 * chunk so that the caller can hand on what it made of them. The view is reused: read it, do not
 * keep it. The chunk buffers are reused too: nothing may keep `bytes` past the call.
 */
export async function* chunkedLines(
  handle: FileHandle,
  onLine: (view: LineView) => void,
  buffers: ChunkBuffers = chunkBuffers(),
): AsyncGenerator<void> {
  const view: LineView = {
    bytes: buffers[0],
    start: 0,
    end: 0,
    text: undefined,
    offset: 0,
    line: 1,
    terminated: true,
  };
  let readAt = 0;
  let pending: Buffer[] = [];
  let which = 0;
  let next = handle.read(buffers[0], 0, CHUNK_BYTES, 0);
  try {
    for (;;) {
      const { bytesRead } = await next;
      if (bytesRead === 0) break;
      const chunk = buffers[which] as Buffer;
      readAt += bytesRead;
      // Read the next chunk into the other buffer while this one is looked at.
      which = 1 - which;
      next = handle.read(buffers[which] as Buffer, 0, CHUNK_BYTES, readAt);
      const read = chunk.subarray(0, bytesRead);
      let start = 0;
      let at = read.indexOf(NEWLINE, 0);
      if (pending.length > 0 && at !== -1) {
        // The end of a line begun in an earlier chunk.
        pending.push(read.subarray(0, at));
        const joined = Buffer.concat(pending);
        pending = [];
        seeLine(view, joined, 0, joined.length, undefined, onLine);
        start = at + 1;
        at = read.indexOf(NEWLINE, start);
      }
      if (at !== -1) {
        const text = isAscii(read) ? read.toString('latin1') : undefined;
        for (; at !== -1; at = read.indexOf(NEWLINE, start)) {
          seeLine(view, chunk, start, at, text, onLine);
          start = at + 1;
        }
      }
      if (start < bytesRead) pending.push(Buffer.from(read.subarray(start)));
      yield;
    }
  } finally {
    // Stopped early: let the read ahead finish before the handle is closed.
    await next.catch(() => undefined);
  }
  if (pending.length > 0) {
    const rest = Buffer.concat(pending);
    view.terminated = false;
    seeLine(view, rest, 0, rest.length, undefined, onLine);
  }
}

function seeLine(
  view: LineView,
  bytes: Buffer,
  start: number,
  end: number,
  text: string | undefined,
  onLine: (view: LineView) => void,
): void {
  view.bytes = bytes;
  view.start = start;
  view.end = end;
  view.text = text;
  onLine(view);
  view.offset += end - start + 1;
  view.line += 1;
}
