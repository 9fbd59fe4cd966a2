/**
 * Compaction keeps the events' child list bounded: retired tasks' batches go, and what readers must
 * still see of them goes into a snapshot first. In order:
 *
 *   1. choose the cut: the last batch whose every event is at or below `upToPosition` (whole
 *      batches only: a batch is never split);
 *   2. write the snapshot (header znode, then chunks) — invisible until the pointer names it;
 *   3. switch the pointer, with the version read at the start (a concurrent compaction loses);
 *   4. remove older snapshots, then delete the batches up to the cut, DELETE_GROUP to a multi.
 *
 * A reader that lists batches before step 4 and reads them after notices the pointer moved and
 * re-reads from the snapshot (log-reader.ts). A crash between steps leaves an unused snapshot
 * (removed by the next compaction) or batches below the cut (deleted by the next compaction, and
 * skipped by readers meanwhile, since the snapshot covers them).
 */
import { ErrorCodes, hasCode, TaskdError } from '../../../errors.ts';
import type { Acl } from '../../zookeeper/index.ts';
import type { LoggedEvent } from '../port.ts';
import { decodeBatch } from './batch-record.ts';
import { listBatches, type ReaderDeps, readPointer } from './log-reader.ts';
import { endOfSequence, positionOf, sequenceOf } from './positions.ts';
import { encodeChunks, encodePointer, encodeSnapshotHeader, isLoggedEvent } from './snapshot-record.ts';
import { chunkPath, parseBatchName, parseSnapshotName } from './znode-names.ts';

/**
 * Batches deleted by one multi: one write transaction each (a request of 30-60 kB with the paths a
 * cluster name of up to 63 characters gives, far below ZooKeeper's 1 MB limit); one multi in flight
 * at a time, so a large compaction does not flood the ensemble. Deleting one znode per request cost
 * a write transaction per batch: ~2 s of a 2-core machine's whole CPU for 10,000 batches
 * (bench/compaction-cost.ts).
 */
const DELETE_GROUP = 500;

export interface CompactOptions {
  /** Batches whose every event is at or below this position are removed. */
  readonly upToPosition: number;
  /** Events at or below that position which readers must still see (e.g. live tasks' history), as read. */
  readonly snapshot: readonly LoggedEvent[];
}

export interface CompactionResult {
  /** False when the log was already compacted this far: then only leftovers were deleted. */
  readonly compacted: boolean;
  /** The compaction point in force: readers starting at or below it read the snapshot first. */
  readonly upTo: number;
  /** The last batch sequence covered by the snapshot (-1: none). */
  readonly cutSequence: number;
  readonly snapshotEvents: number;
  readonly deletedBatches: number;
}

export interface CompactionDeps extends ReaderDeps {
  readonly acl: readonly Acl[];
}

/** Snapshots what the caller keeps up to `upToPosition`, then deletes the batches it covers. */
export async function compact(deps: CompactionDeps, options: CompactOptions): Promise<CompactionResult> {
  const { upToPosition } = options;
  assertCompactable(options);
  const names = await listBatches(deps);
  const pointer = await readPointer(deps);
  const cutSequence = await cutSequenceFor(deps, names, upToPosition);
  const current = pointer.ref;
  if (cutSequence < 0 || (current !== undefined && current.cutSequence >= cutSequence)) {
    const deletedBatches = current === undefined ? 0 : await deleteBatches(deps, names, current.cutSequence);
    return {
      compacted: false,
      upTo: current?.upTo ?? 0,
      cutSequence: current?.cutSequence ?? -1,
      snapshotEvents: 0,
      deletedBatches,
    };
  }
  const upTo = endOfSequence(cutSequence);
  const kept = inPositionOrder(options.snapshot.filter((event) => event.position <= upTo));
  const { session, layout, acl } = deps;
  const snapshotPath = await session.create(`${layout.snapshots}/snap-`, {
    data: encodeSnapshotHeader(upTo, kept.length),
    sequential: true,
    acl,
  });
  const chunks = encodeChunks(kept);
  for (const [index, data] of chunks.entries()) {
    await session.create(chunkPath(snapshotPath, index), { data, acl });
  }
  const snapshot = snapshotPath.slice(snapshotPath.lastIndexOf('/') + 1);
  const data = encodePointer({ v: 1, snapshot, upTo, cutSequence, chunks: chunks.length });
  try {
    if (pointer.version < 0) await session.create(layout.snapshotPointer, { data, acl });
    else await session.setData(layout.snapshotPointer, data, pointer.version);
  } catch (error) {
    await removeTree(deps, snapshotPath).catch(() => undefined);
    if (hasCode(error, ErrorCodes.ZK_BAD_VERSION) || hasCode(error, ErrorCodes.ZK_NODE_EXISTS)) {
      throw new TaskdError(
        ErrorCodes.LOG_UNAVAILABLE,
        'another compaction switched the snapshot first; nothing was deleted',
        { upToPosition },
        { cause: error },
      );
    }
    throw error;
  }
  await removeOlderSnapshots(deps, parseSnapshotName(snapshot) ?? 0);
  const deletedBatches = await deleteBatches(deps, names, cutSequence);
  return { compacted: true, upTo, cutSequence, snapshotEvents: kept.length, deletedBatches };
}

function assertCompactable(options: CompactOptions): void {
  const { upToPosition, snapshot } = options;
  if (!Number.isSafeInteger(upToPosition) || upToPosition < 1) {
    throw new TaskdError(ErrorCodes.VALIDATION, `compaction point ${upToPosition} is not a position`, {
      upToPosition,
    });
  }
  const stray = snapshot.findIndex((event) => !isLoggedEvent(event) || event.position > upToPosition);
  if (stray >= 0) {
    throw new TaskdError(
      ErrorCodes.VALIDATION,
      `snapshot event ${stray} is not a logged event at or below position ${upToPosition}`,
      { upToPosition, index: stray },
    );
  }
}

/** The last batch sequence whose every event is at or below `upToPosition` (-1: none). */
async function cutSequenceFor(
  deps: ReaderDeps,
  names: readonly string[],
  upToPosition: number,
): Promise<number> {
  const sequence = sequenceOf(upToPosition);
  const straddling = names.map(parseBatchName).find((batch) => batch?.sequence === sequence);
  if (straddling === undefined) return sequence;
  const node = await deps.session.getData(`${deps.layout.events}/${straddling.name}`);
  const decoded = node === null ? undefined : decodeBatch(node.data);
  if (decoded === undefined || !decoded.ok) return sequence;
  const last = positionOf(sequence, decoded.batch.events.length - 1);
  return last <= upToPosition ? sequence : sequence - 1;
}

function inPositionOrder(events: readonly LoggedEvent[]): LoggedEvent[] {
  const byPosition = new Map(events.map((event) => [event.position, event]));
  return [...byPosition.values()].sort((a, b) => a.position - b.position);
}

/** Deletes every batch at or below `cutSequence`; returns how many this call removed. */
async function deleteBatches(
  deps: ReaderDeps,
  names: readonly string[],
  cutSequence: number,
): Promise<number> {
  // Oldest first (one session's requests apply in the order sent): an interrupted compaction leaves
  // the oldest batches gone, never a hole in the middle of what stays.
  const doomed = names
    .map(parseBatchName)
    .filter((batch) => batch !== undefined && batch.sequence <= cutSequence)
    .sort((a, b) => (a?.sequence ?? 0) - (b?.sequence ?? 0))
    .map((batch) => `${deps.layout.events}/${batch?.name as string}`);
  let deleted = 0;
  for (let start = 0; start < doomed.length; start += DELETE_GROUP) {
    deps.assertOpen();
    deleted += await removeGroup(deps, doomed.slice(start, start + DELETE_GROUP));
  }
  return deleted;
}

/**
 * Removes `paths` in one multi: one write transaction for the ensemble instead of one per znode.
 * If one is already gone (a compaction that was interrupted, or ran at the same time), the multi
 * removes nothing, and they are removed one by one instead.
 */
async function removeGroup(deps: ReaderDeps, paths: readonly string[]): Promise<number> {
  try {
    await deps.session.multi(paths.map((path) => ({ op: 'remove', path })));
    return paths.length;
  } catch (error) {
    if (!hasCode(error, ErrorCodes.ZK_NO_NODE)) throw error;
  }
  const removed = await Promise.all(paths.map((path) => removeIfThere(deps, path)));
  return removed.filter(Boolean).length;
}

async function removeOlderSnapshots(deps: ReaderDeps, newest: number): Promise<void> {
  const names = (await deps.session.getChildren(deps.layout.snapshots))?.children ?? [];
  for (const name of names) {
    const sequence = parseSnapshotName(name);
    if (sequence !== undefined && sequence < newest)
      await removeTree(deps, `${deps.layout.snapshots}/${name}`);
  }
}

/** Removes a snapshot znode and its chunks. */
async function removeTree(deps: ReaderDeps, path: string): Promise<void> {
  const children = (await deps.session.getChildren(path))?.children ?? [];
  await Promise.all(children.map((child) => removeIfThere(deps, `${path}/${child}`)));
  await removeIfThere(deps, path);
}

async function removeIfThere(deps: ReaderDeps, path: string): Promise<boolean> {
  try {
    await deps.session.remove(path);
    return true;
  } catch (error) {
    if (hasCode(error, ErrorCodes.ZK_NO_NODE)) return false;
    throw error;
  }
}
