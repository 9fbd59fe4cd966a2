/**
 * Names of the task log's znodes. Under the log's root (default `/taskd/<cluster>/log`):
 *
 *   events/~<sequence>            one persistent sequential znode per append: the batch of events
 *   streams/<stream>              the stream's head: its length, and a version bumped by every append
 *   tip                           set by every append, in the same multi: what live readers watch
 *   snapshot                      pointer to the current compaction snapshot (empty: none yet)
 *   snapshots/snap-<sequence>/chunk-<n>   the snapshot's events (see snapshot-record.ts)
 *
 * A batch's name is its sequence alone (its stream is in its data), so a reader that has read batch
 * s knows the name of the next one, `~<s+1>`, and follows the log by reading it when the tip moves,
 * instead of listing every batch of the log on each append (a child list grows with the log until
 * compaction, and ZooKeeper sends it whole). Logs written before carry the stream before the '~'
 * (`<stream>~<sequence>`): such names are still read, and found by the listing a reader falls back to.
 *
 * Stream names are percent-encoded over their UTF-8 bytes: letters, digits, '_' and '-' stay, every
 * other byte becomes %XX. So an encoded name never holds '/', '~', '.', control or reserved Unicode
 * characters.
 *
 * The sequence suffix is ZooKeeper's: the events parent's cversion as 10 digits. It overflows after
 * 2³¹ − 1 child creations and deletions (compaction's deletes count too); the suffix then turns
 * negative and such names are reported as foreign znodes. Past that point a new root is needed.
 */
import { ErrorCodes, TaskdError } from '../../../errors.ts';

/** Longest stream name once encoded: child lists and paths stay small. */
export const MAX_ENCODED_STREAM_LENGTH = 512;

const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const SAFE_BYTE = /^[A-Za-z0-9_-]$/;
const BATCH_NAME = /^([A-Za-z0-9_%-]*)~(\d{10})$/;
const SNAPSHOT_NAME = /^snap-(\d{10})$/;
/** With the u flag only a lone surrogate matches: such a string has no UTF-8 form. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Where every part of one log lives. */
export interface LogLayout {
  readonly root: string;
  readonly events: string;
  readonly streams: string;
  readonly snapshots: string;
  readonly snapshotPointer: string;
  readonly tip: string;
}

/** The root of `cluster`'s task log when none is configured. */
export function defaultRoot(cluster: string): string {
  if (!CLUSTER_NAME.test(cluster)) {
    throw new TaskdError(
      ErrorCodes.CONFIG_INVALID,
      `cluster name "${cluster}" cannot name a znode: 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit`,
      { cluster },
    );
  }
  return `/taskd/${cluster}/log`;
}

/** The layout under `root`, an absolute znode path. */
export function logLayout(root: string): LogLayout {
  const segments = root.split('/').slice(1);
  const valid =
    root.startsWith('/') && segments.every((s) => s !== '' && s !== '.' && s !== '..' && !/\s/.test(s));
  if (!valid || segments.length === 0) {
    throw new TaskdError(ErrorCodes.CONFIG_INVALID, `task log root "${root}" is not an absolute znode path`, {
      root,
    });
  }
  return {
    root,
    events: `${root}/events`,
    streams: `${root}/streams`,
    snapshots: `${root}/snapshots`,
    snapshotPointer: `${root}/snapshot`,
    tip: `${root}/tip`,
  };
}

/** The znode-safe form of a stream name; VALIDATION for a name that cannot be stored. */
export function encodeStreamName(stream: string): string {
  if (stream.length === 0 || LONE_SURROGATE.test(stream)) {
    throw new TaskdError(
      ErrorCodes.VALIDATION,
      `stream name ${JSON.stringify(stream)} is empty or not text`,
      {
        stream,
      },
    );
  }
  let encoded = '';
  for (const byte of Buffer.from(stream, 'utf8')) {
    const char = String.fromCharCode(byte);
    encoded += SAFE_BYTE.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  if (encoded.length > MAX_ENCODED_STREAM_LENGTH) {
    throw new TaskdError(
      ErrorCodes.VALIDATION,
      `stream name is ${encoded.length} characters once encoded, above ${MAX_ENCODED_STREAM_LENGTH}`,
      { stream },
    );
  }
  return encoded;
}

/** The stream name an encoded name stands for. */
export function decodeStreamName(encoded: string): string {
  return decodeURIComponent(encoded);
}

/** What a create of the next batch is given; ZooKeeper appends the sequence. */
export function batchPathPrefix(layout: LogLayout): string {
  return `${layout.events}/~`;
}

/** The path of the batch with `sequence`, as this log names batches now. */
export function batchPath(layout: LogLayout, sequence: number): string {
  return `${layout.events}/~${String(sequence).padStart(10, '0')}`;
}

/** The head znode of a stream. */
export function streamHeadPath(layout: LogLayout, encodedStream: string): string {
  return `${layout.streams}/${encodedStream}`;
}

/** A child of the events parent, understood. */
export interface BatchName {
  readonly name: string;
  /** The stream, encoded, in a name written before batches were named by sequence alone; else ''. */
  readonly encodedStream: string;
  readonly sequence: number;
}

/** The parts of a batch znode's name, or undefined for a name this log never writes. */
export function parseBatchName(name: string): BatchName | undefined {
  const match = BATCH_NAME.exec(name);
  if (!match) return undefined;
  return { name, encodedStream: match[1]!, sequence: Number(match[2]) };
}

/** The sequence of a batch from the path a sequential create returned. */
export function sequenceOfCreatedPath(path: string): number {
  const parsed = parseBatchName(path.slice(path.lastIndexOf('/') + 1));
  if (parsed === undefined) {
    throw new TaskdError(ErrorCodes.LOG_UNAVAILABLE, `ZooKeeper created ${path}: not a batch name`, { path });
  }
  return parsed.sequence;
}

/** The sequence of a snapshot znode's name, or undefined. */
export function parseSnapshotName(name: string): number | undefined {
  const match = SNAPSHOT_NAME.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** The path of a snapshot's `index`-th chunk. */
export function chunkPath(snapshotPath: string, index: number): string {
  return `${snapshotPath}/chunk-${String(index).padStart(6, '0')}`;
}
