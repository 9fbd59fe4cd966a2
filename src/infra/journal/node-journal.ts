/**
 * The node journal writer: what this node saw and did, one checksummed JSON line per DomainEvent,
 * in `<dir>/journal-<node>.jsonl` (mode 0600, dir 0700), rotated by size.
 *
 * Writes are synchronous: the streams layer journals an input, and only once appendSync has
 * returned does it fold the input into state, so a replay of the journal rebuilds the same state
 * sequence. fsync policy as for the file task log: 'always' (fdatasync inside appendSync) or an
 * interval (a background fdatasync; a crash of the process loses nothing, a power loss may lose
 * the last interval). A line torn by a crash is left in place, ended with a newline so the next
 * line starts clean; readers report it.
 */
import {
  chmodSync,
  closeSync,
  existsSync,
  fdatasync,
  fdatasyncSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { DomainEvent } from '../../domain/event.ts';
import { ErrorCodes, TaskdError } from '../../errors.ts';
import type { FsyncPolicy } from '../log/file/record-appender.ts';
import { activeJournalName, assertJournalNode, rotatedJournalName, rotationsOf } from './journal-files.ts';
import { encodeJournalLine } from './journal-line.ts';
import { endsTorn, lastSeqIn } from './journal-tail.ts';

export type { FsyncPolicy } from '../log/file/record-appender.ts';

export interface NodeJournalOptions {
  /** The node's data directory. */
  readonly dir: string;
  readonly node: string;
  /** Default 'always'. */
  readonly fsync?: FsyncPolicy;
  /** Rotate before a line would take the active file past this size; default 64 MiB. */
  readonly maxFileBytes?: number;
}

/** Where appendSync put an event. */
export interface JournalWrite {
  readonly seq: number;
  readonly file: string;
  readonly offset: number;
}

export interface JournalStats {
  readonly writes: number;
  readonly fsyncs: number;
  readonly rotations: number;
}

export interface NodeJournal {
  readonly node: string;
  /** The active file. */
  readonly path: string;
  /** Counters for metrics and tests. */
  stats(): JournalStats;
  /** Writes the event (durably, under 'always') before returning; throws LOG_CLOSED / LOG_UNAVAILABLE / VALIDATION. */
  appendSync(event: DomainEvent): JournalWrite;
  /** Flushes and closes; idempotent. */
  close(): void;
}

const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Opens (creating if needed) this node's journal for appending. */
export function openNodeJournal(options: NodeJournalOptions): NodeJournal {
  assertJournalNode(options.node);
  return new FileNodeJournal(options);
}

class FileNodeJournal implements NodeJournal {
  readonly node: string;
  readonly path: string;
  private readonly dir: string;
  private readonly policy: FsyncPolicy;
  private readonly maxFileBytes: number;
  private fd: number;
  private size: number;
  private lastSeq: number;
  private nextRotation: number;
  private dirty = false;
  private closed = false;
  private counts = { writes: 0, fsyncs: 0, rotations: 0 };
  private broken: TaskdError | undefined;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(options: NodeJournalOptions) {
    this.node = options.node;
    this.dir = options.dir;
    this.policy = options.fsync ?? 'always';
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.path = join(this.dir, activeJournalName(this.node));
    if (!existsSync(this.dir)) {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      chmodSync(this.dir, 0o700); // whatever the umask
    }
    const rotations = rotationsOf(this.node, readdirSync(this.dir));
    const newestRotation = rotations.at(-1);
    this.nextRotation = (newestRotation ?? 0) + 1;
    this.fd = this.openActive();
    if (endsTorn(this.fd)) this.writeAll(Buffer.from('\n'));
    this.size = fstatSync(this.fd).size;
    const previous =
      newestRotation === undefined
        ? undefined
        : join(this.dir, rotatedJournalName(this.node, newestRotation));
    this.lastSeq = lastSeqIn(this.path) ?? (previous === undefined ? undefined : lastSeqIn(previous)) ?? 0;
    if (this.policy !== 'always') {
      this.timer = setInterval(() => this.flushInBackground(), this.policy.intervalMs);
      this.timer.unref(); // closed by its owner; never the reason the process stays up
    }
  }

  stats(): JournalStats {
    return { ...this.counts };
  }

  appendSync(event: DomainEvent): JournalWrite {
    if (this.closed)
      throw new TaskdError(ErrorCodes.LOG_CLOSED, `journal ${this.path} is closed`, { path: this.path });
    if (this.broken !== undefined) throw this.broken;
    const seq = this.lastSeq + 1;
    const line = encodeJournalLine(seq, event);
    if (this.size > 0 && this.size + line.length > this.maxFileBytes) this.rotate();
    const offset = this.size;
    try {
      this.writeAll(line);
      if (this.policy === 'always') this.syncNow();
      else this.dirty = true;
    } catch (error) {
      this.cutBack(offset, error);
      throw this.unavailable(`cannot append to journal ${this.path}`, error);
    }
    this.size = offset + line.length;
    this.lastSeq = seq;
    this.counts.writes += 1;
    return { seq, file: this.path, offset };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    try {
      if (this.dirty && this.broken === undefined) this.syncNow();
    } finally {
      closeSync(this.fd);
    }
  }

  private openActive(): number {
    const created = !existsSync(this.path);
    const fd = openSync(this.path, 'a+', 0o600);
    if (created) syncDirectory(this.dir);
    return fd;
  }

  /**
   * Renames the full file while it is still open, then switches to a new one: if the rename fails
   * nothing changed (the next append tries again); if the new file cannot be opened the journal is
   * broken, since its active name now points at nothing.
   */
  private rotate(): void {
    const rotated = join(this.dir, rotatedJournalName(this.node, this.nextRotation));
    try {
      this.syncNow();
      renameSync(this.path, rotated);
    } catch (error) {
      throw this.unavailable(`cannot rotate journal ${this.path} to ${rotated}`, error);
    }
    this.nextRotation += 1;
    try {
      const next = this.openActive();
      closeSync(this.fd);
      this.fd = next;
    } catch (error) {
      this.broken = this.unavailable(`cannot start a new journal file after rotating to ${rotated}`, error);
      throw this.broken;
    }
    this.dirty = false;
    this.size = 0;
    this.counts.rotations += 1;
  }

  private syncNow(): void {
    fdatasyncSync(this.fd);
    this.counts.fsyncs += 1;
  }

  private writeAll(bytes: Buffer): void {
    for (let written = 0; written < bytes.length; ) {
      written += writeSync(this.fd, bytes, written, bytes.length - written);
    }
  }

  /** Removes a partial line so the next one does not start inside it. */
  private cutBack(offset: number, cause: unknown): void {
    try {
      ftruncateSync(this.fd, offset);
    } catch {
      this.broken = this.unavailable(`journal ${this.path} may end in a partial line`, cause);
    }
  }

  private flushInBackground(): void {
    if (!this.dirty || this.closed) return;
    this.dirty = false;
    const fd = this.fd;
    fdatasync(fd, (error) => {
      // EBADF after a rotation or close is harmless: both synced the file themselves.
      if (error === null) this.counts.fsyncs += 1;
      else if (fd === this.fd && !this.closed) {
        this.broken = this.unavailable(`fsync of journal ${this.path} failed`, error);
      }
    });
  }

  private unavailable(message: string, cause: unknown): TaskdError {
    return new TaskdError(
      ErrorCodes.LOG_UNAVAILABLE,
      `${message}: ${String(cause)}`,
      { path: this.path },
      { cause },
    );
  }
}

/** Makes a new directory entry durable. */
function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
