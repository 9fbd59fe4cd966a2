import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** The last `lines` lines of a server's log, for error messages; never throws. */
export function logTail(path: string, lines = 30): string {
  try {
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      const length = Math.min(size, 16_384);
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, size - length);
      const tail = buffer
        .toString('utf8')
        .split('\n')
        .slice(-lines - 1)
        .join('\n');
      return `--- last lines of ${path} ---\n${tail}`;
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return `(no log at ${path}: ${(error as Error).message})`;
  }
}
