/**
 * Reading the log in global order: the snapshot (when the read starts at or below the compaction
 * point), then every batch znode above the cursor in sequence order. readAll, readStream and the
 * live subscription are all this one read; they differ in where they start and what they keep.
 *
 * Compaction runs beside readers. It switches the snapshot pointer first and deletes batches after,
 * and a read lists the batches first and reads the pointer after: so a batch missing from the list
 * means the pointer read next already covers it, and a listed batch that is gone when its data is
 * read means the pointer moved since; the read then starts over from its cursor with the new
 * snapshot. Nothing is repeated (everything at or below the cursor is skipped) and nothing kept by
 * the snapshot is missed (a batch fetched ahead before its deletion is still delivered: it was in the
 * log when the read started). Cost: one child list, one pointer read, then one getData per batch read
 * (READ_AHEAD of them in flight).
 */
import type { NodeData, ZooKeeperSession } from '../../zookeeper/index.ts';
import type { LoggedEvent } from '../port.ts';
import { decodeBatch, loggedEventsOf } from './batch-record.ts';
import { endOfSequence } from './positions.ts';
import { decodeChunk, decodePointer, type SnapshotPointer, type SnapshotRef } from './snapshot-record.ts';
import type { ZnodeAnomalies } from './znode-anomalies.ts';
import {
  type BatchName,
  batchPath,
  chunkPath,
  encodeStreamName,
  type LogLayout,
  parseBatchName,
} from './znode-names.ts';

/** "~" and the 10-digit sequence that end a batch name. */
const SUFFIX = 11;

/** Batch reads in flight at once during a read (each at most 1 MB). */
const READ_AHEAD = 16;

export interface ReaderDeps {
  readonly session: ZooKeeperSession;
  readonly layout: LogLayout;
  readonly anomalies: ZnodeAnomalies;
  /** Throws once the log is closed, so that a long read stops between znodes. */
  readonly assertOpen: () => void;
}

/** Events read in one step, and the position through which everything has now been read. */
export interface Segment {
  readonly events: readonly LoggedEvent[];
  readonly through: number;
  /** The zxid that created the batch read (absent for a snapshot): the tip's mzxid once it was appended. */
  readonly zxid?: bigint;
}

export interface ReadScope {
  /** Only this stream: its events are found by their field (an old batch's name names it too). */
  readonly stream?: string;
}

/** Everything with a position above `after`, in position order, one batch (or snapshot) at a time. */
export async function* readSegments(
  deps: ReaderDeps,
  after: number,
  scope: ReadScope = {},
): AsyncGenerator<Segment> {
  const prefix = scope.stream === undefined ? undefined : encodeStreamName(scope.stream);
  const inScope = (event: LoggedEvent): boolean =>
    scope.stream === undefined || event.stream === scope.stream;
  let through = after;
  for (;;) {
    deps.assertOpen();
    const names = await listBatches(deps);
    const pointer = await readPointer(deps);
    const { ref } = pointer;
    if (ref !== undefined && through < ref.upTo) {
      const kept = await readSnapshot(deps, ref);
      if (kept === 'vanished') {
        if (await pointerMoved(deps, pointer)) continue;
        const path = `${deps.layout.snapshots}/${ref.snapshot}`;
        deps.anomalies.report({ kind: 'unparseable-snapshot', path, message: 'a chunk is missing' });
      }
      const events = kept === 'vanished' ? [] : kept;
      yield { events: events.filter((e) => e.position > through && inScope(e)), through: ref.upTo };
      through = ref.upTo;
    }
    let restart = false;
    const batches = batchesAbove(deps, names, through, prefix);
    const fetched = readAhead(deps, batches);
    for (const [index, batch] of batches.entries()) {
      deps.assertOpen();
      const path = `${deps.layout.events}/${batch.name}`;
      const node = await fetched(index);
      if (node === null) {
        if (await pointerMoved(deps, pointer)) {
          restart = true;
          break;
        }
        const message = 'listed, then deleted by something other than compaction';
        deps.anomalies.report({ kind: 'vanished-batch', path, sequence: batch.sequence, message });
      } else {
        const events = decodedEvents(deps, path, batch, node.data);
        yield {
          events: events.filter((e) => e.position > through && inScope(e)),
          through: endOfSequence(batch.sequence),
          zxid: node.stat.czxid,
        };
      }
      through = endOfSequence(batch.sequence);
    }
    if (!restart) return;
  }
}

/**
 * The data of `batches[index]`, with the next READ_AHEAD reads already sent: a catch-up over many
 * batches costs about one round trip per READ_AHEAD batches, not one per batch. A read no one waits
 * for any more (the caller stopped, or started over) settles unobserved, never as an unhandled error.
 */
function readAhead(
  deps: ReaderDeps,
  batches: readonly BatchName[],
): (index: number) => Promise<NodeData | null> {
  const reads: Array<Promise<NodeData | null>> = [];
  return (index) => {
    for (let next = reads.length; next < Math.min(batches.length, index + READ_AHEAD); next++) {
      const read = deps.session.getData(`${deps.layout.events}/${batches[next]!.name}`);
      read.catch(() => undefined);
      reads.push(read);
    }
    return reads[index]!;
  };
}

/**
 * The batch with `sequence`, read by its name: 'absent' when there is no such znode (not written
 * yet, compacted away, or a sequence that went to something else). What live readers follow with.
 */
export async function readBatchAt(deps: ReaderDeps, sequence: number): Promise<Segment | 'absent'> {
  const path = batchPath(deps.layout, sequence);
  const node = await deps.session.getData(path);
  if (node === null) return 'absent';
  const batch = { name: path.slice(path.lastIndexOf('/') + 1), encodedStream: '', sequence };
  const events = decodedEvents(deps, path, batch, node.data);
  return { events, through: endOfSequence(sequence), zxid: node.stat.czxid };
}

/** The event of `stream` at `revision`, if it can still be read. */
export async function eventAt(
  deps: ReaderDeps,
  stream: string,
  revision: number,
): Promise<LoggedEvent | undefined> {
  for await (const segment of readSegments(deps, 0, { stream })) {
    const found = segment.events.find((event) => event.revision === revision);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** How many events `stream` holds, counted from what can still be read (for a head holding junk). */
export async function countEvents(deps: ReaderDeps, stream: string): Promise<number> {
  let length = 0;
  for await (const segment of readSegments(deps, 0, { stream })) {
    for (const event of segment.events) length = Math.max(length, event.revision + 1);
  }
  return length;
}

/** The names under the events parent (empty when it is gone). */
export async function listBatches(deps: ReaderDeps): Promise<readonly string[]> {
  return (await deps.session.getChildren(deps.layout.events))?.children ?? [];
}

/** The batches that may hold events above `through`, in sequence order; foreign names reported. */
function batchesAbove(
  deps: ReaderDeps,
  names: readonly string[],
  through: number,
  prefix: string | undefined,
): BatchName[] {
  const batches: BatchName[] = [];
  for (const name of names) {
    // Most names are batches already read: tell them by their sequence suffix, without the regex.
    if (name.length > SUFFIX && name[name.length - SUFFIX] === '~') {
      const sequence = Number(name.slice(1 - SUFFIX));
      if (Number.isSafeInteger(sequence) && endOfSequence(sequence) <= through) continue;
    }
    const batch = parseBatchName(name);
    if (batch === undefined) {
      const path = `${deps.layout.events}/${name}`;
      deps.anomalies.report({ kind: 'foreign-znode', path, message: 'not a batch name this log writes' });
    } else if (
      endOfSequence(batch.sequence) > through &&
      // A batch named by sequence alone may hold any stream: only its data says which.
      (prefix === undefined || batch.encodedStream === prefix || batch.encodedStream === '')
    ) {
      batches.push(batch);
    }
  }
  return batches.sort((a, b) => a.sequence - b.sequence);
}

function decodedEvents(deps: ReaderDeps, path: string, batch: BatchName, data: Buffer): LoggedEvent[] {
  const decoded = decodeBatch(data);
  const { sequence } = batch;
  if (!decoded.ok) {
    deps.anomalies.report({ kind: 'unparseable-batch', path, sequence, message: decoded.message });
    return [];
  }
  const { stream } = decoded.batch;
  if (batch.encodedStream !== '' && encodeStreamName(stream) !== batch.encodedStream) {
    const message = `holds stream "${stream}", which its name does not`;
    deps.anomalies.report({ kind: 'unparseable-batch', path, sequence, stream, message });
    return [];
  }
  return loggedEventsOf(decoded.batch, sequence);
}

/** The current snapshot pointer; junk in it is reported and read as "no snapshot". */
export async function readPointer(deps: ReaderDeps): Promise<SnapshotPointer> {
  const path = deps.layout.snapshotPointer;
  const pointer = decodePointer(await deps.session.getData(path));
  if (pointer.problem !== undefined) {
    deps.anomalies.report({ kind: 'unparseable-snapshot', path, message: pointer.problem });
  }
  return pointer;
}

async function pointerMoved(deps: ReaderDeps, before: SnapshotPointer): Promise<boolean> {
  return (await readPointer(deps)).version !== before.version;
}

/** The snapshot's events in position order, or 'vanished' when a chunk is gone. */
async function readSnapshot(deps: ReaderDeps, ref: SnapshotRef): Promise<LoggedEvent[] | 'vanished'> {
  const events: LoggedEvent[] = [];
  const snapshotPath = `${deps.layout.snapshots}/${ref.snapshot}`;
  for (let index = 0; index < ref.chunks; index++) {
    deps.assertOpen();
    const path = chunkPath(snapshotPath, index);
    const node = await deps.session.getData(path);
    if (node === null) return 'vanished';
    const decoded = decodeChunk(node.data);
    if (decoded.ok) events.push(...decoded.events);
    else deps.anomalies.report({ kind: 'unparseable-snapshot', path, message: decoded.message });
  }
  return events.sort((a, b) => a.position - b.position);
}
