/**
 * Writes whole lines at the end of the log file and makes them durable by policy:
 * - 'always': fdatasync after every append, before it is acknowledged;
 * - { intervalMs }: at most that long between a write and its fdatasync (an acknowledged append
 *   can be lost on power failure; a process crash loses nothing: the page cache keeps it).
 * A failed write is cut back so no partial line stays in front of the next one; if even that fails
 * the appender is broken and refuses every later write (LOG_UNAVAILABLE).
 */
import type { FileHandle } from 'node:fs/promises';
import { ErrorCodes, TaskdError } from '../../../errors.ts';

export type FsyncPolicy = 'always' | { readonly intervalMs: number };

export interface AppenderStats {
  readonly writes: number;
  readonly fsyncs: number;
  readonly bytes: number;
}

export class RecordAppender {
  private dirty = false;
  private broken: TaskdError | undefined;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private counts = { writes: 0, fsyncs: 0, bytes: 0 };

  constructor(
    private readonly handle: FileHandle,
    private end: number,
    private readonly policy: FsyncPolicy,
    private readonly source: string,
    private readonly onBackgroundFailure: (error: TaskdError) => void,
  ) {
    if (policy !== 'always') {
      this.timer = setInterval(() => void this.flush().catch(() => undefined), policy.intervalMs);
      this.timer.unref(); // the log's owner closes it; a forgotten log must not hold the process
    }
  }

  get stats(): AppenderStats {
    return { ...this.counts };
  }

  /** Marks the appender unusable (e.g. the writer lock was lost). */
  breakWith(error: TaskdError): void {
    this.broken ??= error;
  }

  /** Writes `line` at the end, durably per policy; returns its offset. Callers serialise calls. */
  async write(line: Buffer): Promise<number> {
    if (this.broken !== undefined) throw this.broken;
    const offset = this.end;
    try {
      await writeFully(this.handle, line, offset);
      if (this.policy === 'always') await this.sync();
    } catch (error) {
      await this.cutBack(offset, error);
      throw this.unavailable(`cannot append to ${this.source}`, error);
    }
    this.end = offset + line.length;
    this.counts.writes += 1;
    this.counts.bytes += line.length;
    if (this.policy !== 'always') this.dirty = true;
    return offset;
  }

  /** fdatasync if anything was written since the last one. */
  async flush(): Promise<void> {
    await this.flushing;
    if (!this.dirty || this.broken !== undefined) return;
    this.dirty = false;
    this.flushing = this.syncOrBreak();
    await this.flushing;
  }

  private async syncOrBreak(): Promise<void> {
    try {
      await this.sync();
    } catch (error) {
      // After a failed fsync the kernel may have dropped the dirty pages: durability is unknown.
      const failure = this.unavailable(`fsync of ${this.source} failed`, error);
      this.breakWith(failure);
      this.onBackgroundFailure(failure);
    }
  }

  /** Stops the interval timer and flushes what is pending. Idempotent. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private async sync(): Promise<void> {
    await this.handle.datasync();
    this.counts.fsyncs += 1;
  }

  private async cutBack(offset: number, cause: unknown): Promise<void> {
    try {
      await this.handle.truncate(offset);
    } catch {
      this.breakWith(this.unavailable(`${this.source} may hold a partial record at offset ${offset}`, cause));
    }
  }

  private unavailable(message: string, cause: unknown): TaskdError {
    return new TaskdError(
      ErrorCodes.LOG_UNAVAILABLE,
      `${message}: ${String(cause)}`,
      { file: this.source },
      {
        cause,
      },
    );
  }
}

async function writeFully(handle: FileHandle, bytes: Buffer, position: number): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const result = await handle.write(bytes, written, bytes.length - written, position + written);
    written += result.bytesWritten;
  }
}
