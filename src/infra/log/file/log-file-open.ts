/**
 * Opening a log file: for writing (lock, scan, cut a torn tail) or read-only (scan, no lock).
 * A cut tail is reported with its offset and line, and its bytes are kept next to the log in
 * `<file>.torn-<offset>` so nothing is lost without a trace.
 */
import { constants } from 'node:fs';
import { type FileHandle, mkdir, open, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Anomaly } from '../../../domain/event.ts';
import { ErrorCodes, TaskdError } from '../../../errors.ts';
import type { LineCursor } from './line-reader.ts';
import { START_OF_FILE } from './line-reader.ts';
import { RecordIndex } from './record-index.ts';
import { type ScanTail, scanRecords } from './record-scan.ts';
import { acquireWriterLock, type WriterLock } from './writer-lock.ts';

export interface OpenedLogFile {
  readonly handle: FileHandle;
  readonly index: RecordIndex;
  /** Just after the last good record. */
  readonly end: LineCursor;
  readonly lock?: WriterLock;
}

type Report = (anomaly: Anomaly) => void;

/** Opens (creating if needed) for the single writer: locks, indexes, cuts a torn tail. */
export async function openForWriting(
  path: string,
  lockOptions: { staleMs: number; onCompromised: (error: Error) => void },
  report: Report,
): Promise<OpenedLogFile> {
  await ensureFile(path);
  const lock = await acquireWriterLock(path, lockOptions);
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r+');
    const index = new RecordIndex();
    const scan = await scanRecords(handle, START_OF_FILE, index, { source: path, report, onRecord: ignore });
    if (scan.tail !== undefined) await cutTail(handle, path, scan.tail, report);
    return { handle, index, end: scan.end, lock };
  } catch (error) {
    await handle?.close();
    await lock.release();
    throw error;
  }
}

/** Opens an existing log without a lock, e.g. to replay an exported log while its writer runs. */
export async function openReadOnly(path: string, report: Report): Promise<OpenedLogFile> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new TaskdError(
      ErrorCodes.LOG_UNAVAILABLE,
      `cannot open task log ${path}: ${String(error)}`,
      { path },
      {
        cause: error,
      },
    );
  }
  const index = new RecordIndex();
  const scan = await scanRecords(handle, START_OF_FILE, index, { source: path, report, onRecord: ignore });
  if (scan.tail !== undefined) {
    report({
      kind: 'torn_tail',
      message: `${scan.tail.bytes} bytes after the last good record (torn, or a write in progress): ${scan.tail.reason}`,
      location: { source: path, offset: scan.tail.offset, line: scan.tail.line },
    });
  }
  return { handle, index, end: scan.end };
}

function ignore(): void {}

async function ensureFile(path: string): Promise<void> {
  const directory = dirname(path);
  await mkdir(directory, { recursive: true, mode: 0o700 });
  let created: FileHandle | undefined;
  try {
    created = await open(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'EEXIST') return;
    throw new TaskdError(
      ErrorCodes.LOG_UNAVAILABLE,
      `cannot create task log ${path}: ${String(error)}`,
      { path },
      {
        cause: error,
      },
    );
  }
  await created.close();
  // The new name must survive a power loss too, not only the data written under it.
  const parent = await open(directory, 'r');
  try {
    await parent.sync();
  } finally {
    await parent.close();
  }
}

async function cutTail(handle: FileHandle, path: string, tail: ScanTail, report: Report): Promise<void> {
  const bytes = Buffer.alloc(tail.bytes);
  await handle.read(bytes, 0, tail.bytes, tail.offset);
  const keptAs = `${path}.torn-${tail.offset}`;
  await writeFile(keptAs, bytes, { mode: 0o600 });
  await handle.truncate(tail.offset);
  await handle.datasync();
  report({
    kind: 'torn_tail',
    message: `cut ${tail.bytes} bytes after the last good record (kept in ${keptAs}): ${tail.reason}`,
    location: { source: path, offset: tail.offset, line: tail.line },
  });
}
