/**
 * One writer per log file, across processes: proper-lockfile's `<file>.lock` directory (atomic
 * mkdir, kept fresh by mtime updates, taken over once stale after a crash). proper-lockfile records
 * no owner, so the holder writes `<file>.owner` (pid, host, since) for the LOG_LOCKED message.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import lockfile from 'proper-lockfile';
import { ErrorCodes, TaskdError } from '../../../errors.ts';

export interface WriterLockOptions {
  /** A lock not refreshed for this long is taken over (its holder is presumed dead). */
  readonly staleMs: number;
  /** The lock was lost while held (e.g. this process was paused past `staleMs`). */
  readonly onCompromised: (error: Error) => void;
}

export interface WriterLock {
  /** Idempotent. */
  release(): Promise<void>;
}

interface Holder {
  readonly pid?: unknown;
  readonly host?: unknown;
  readonly since?: unknown;
}

/** Takes the writer lock of `file` (which must exist), or throws LOG_LOCKED naming the holder. */
export async function acquireWriterLock(file: string, options: WriterLockOptions): Promise<WriterLock> {
  let unlock: () => Promise<void>;
  try {
    unlock = await lockfile.lock(file, {
      stale: options.staleMs,
      update: Math.floor(options.staleMs / 2),
      retries: 0,
      onCompromised: options.onCompromised,
    });
  } catch (error) {
    if (isLockedError(error)) throw await lockedError(file, error);
    throw new TaskdError(
      ErrorCodes.LOG_UNAVAILABLE,
      `cannot lock task log ${file}: ${String(error)}`,
      { file },
      {
        cause: error,
      },
    );
  }
  const ownerFile = `${file}.owner`;
  const holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  await writeFile(ownerFile, `${JSON.stringify(holder)}\n`, { mode: 0o600 });
  let released: Promise<void> | undefined;
  return {
    release() {
      released ??= (async () => {
        await rm(ownerFile, { force: true });
        await unlock().catch(() => undefined); // already released if the lock was compromised
      })();
      return released;
    },
  };
}

function isLockedError(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ELOCKED';
}

async function lockedError(file: string, cause: unknown): Promise<TaskdError> {
  const holder = await readHolder(`${file}.owner`);
  const who =
    holder === undefined
      ? 'another writer'
      : `pid ${String(holder.pid)} on ${String(holder.host)} since ${String(holder.since)}`;
  return new TaskdError(
    ErrorCodes.LOG_LOCKED,
    `task log ${file} is locked by ${who}; open it read-only to replay it`,
    { file, lockPath: `${file}.lock`, holder },
    { cause },
  );
}

async function readHolder(ownerFile: string): Promise<Holder | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(ownerFile, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Holder) : undefined;
  } catch {
    return undefined; // the holder may not have written it yet, or it is gone: the message says less
  }
}
