/**
 * A file's lines, a chunk at a time, seen in place: for replaying journals of millions of lines,
 * where a copy, an object and an await per line cost more than decoding the line. Byte-level like
 * line-reader.ts (offsets must be exact, a corrupt line may not be UTF-8); a line longer than a
 * chunk is gathered into a buffer of its own. Memory: one chunk plus the longest line.
 *
 * Chunks are read synchronously: a replay is a batch job whose event loop has nothing else to do
 * while it reads, and a read through the thread pool cost a round trip per chunk that left the
 * replay waiting idle for a tenth of its time (more on a busy machine, where the pool's thread
 * waits for a core).
 */
import { isAscii } from 'node:buffer';
import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

const NEWLINE = 0x0a;
/**
 * ~130 journal lines: few waits per file, and a chunk's items are gone before the young-generation
 * GC could promote them (with 512 KiB chunks a 1M-event replay's peak RSS grew by half).
 */
const CHUNK_BYTES = 32 * 1024;

/** A buffer for `chunkedLines`, to reuse from one file to the next. */
export function chunkBuffer(): Buffer {
  return Buffer.allocUnsafe(CHUNK_BYTES);
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
 * Calls `onLine` for each line of `handle`, within a chunk, and yields after each chunk so that
 * the caller can hand on what it made of them. The view is reused: read it, do not keep it. The
 * chunk buffer is reused too: nothing may keep `bytes` past the call.
 */
export function* chunkedLines(
  handle: FileHandle,
  onLine: (view: LineView) => void,
  chunk: Buffer = chunkBuffer(),
): Generator<void> {
  const view: LineView = {
    bytes: chunk,
    start: 0,
    end: 0,
    text: undefined,
    offset: 0,
    line: 1,
    terminated: true,
  };
  let readAt = 0;
  let pending: Buffer[] = [];
  for (;;) {
    const bytesRead = readSync(handle.fd, chunk, 0, chunk.length, readAt);
    if (bytesRead === 0) break;
    readAt += bytesRead;
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
