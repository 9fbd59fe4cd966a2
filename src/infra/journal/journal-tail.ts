/**
 * Synchronous looks at the end of a journal file, for the writer at start: the last good sequence
 * number (to continue numbering) and whether the file ends in the middle of a line (a torn write).
 * Reads backwards in growing windows, so a large journal is not read whole.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { decodeJournalLine } from './journal-line.ts';

const FIRST_WINDOW_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/** The highest good `seq` among the last lines of `path`; undefined when it holds none. */
export function lastSeqIn(path: string): number | undefined {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    for (let window = FIRST_WINDOW_BYTES; ; window *= 4) {
      const start = Math.max(0, size - window);
      const bytes = Buffer.alloc(size - start);
      readSync(fd, bytes, 0, bytes.length, start);
      // The first line of a window that does not start the file may be cut: skip it.
      const lines = splitLines(bytes).slice(start === 0 ? 0 : 1);
      for (let i = lines.length - 1; i >= 0; i--) {
        const decoded = decodeJournalLine(lines[i] as Buffer);
        if (decoded.ok) return decoded.record.seq;
      }
      if (start === 0) return undefined;
    }
  } finally {
    closeSync(fd);
  }
}

/** Does the file end in the middle of a line? */
export function endsTorn(fd: number): boolean {
  const size = fstatSync(fd).size;
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] !== NEWLINE;
}

function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, start)) {
    lines.push(bytes.subarray(start, at));
    start = at + 1;
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}
