/**
 * Compaction of the ZooKeeper task log: a snapshot of what the caller keeps, then the batches up to
 * the point deleted; readers that start at or below the point read the snapshot first, including
 * readers that were already running when the batches went.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes, hasCode } from '../../../src/errors.ts';
import type { AppendResult, LoggedEvent } from '../../../src/infra/log/port.ts';
import { useZooKeeper } from '../../support/zookeeper.ts';
import { collect, expectStrictlyGrowing, event as numberedEvent, Watcher } from './contract-support.ts';
import { useLogPerTest } from './zookeeper/log-per-test.ts';

const zk = useZooKeeper({ servers: 1 });
const t = useLogPerTest(zk);

const event = (type: string) => numberedEvent(type, 0);
const types = (events: readonly LoggedEvent[]) => events.map((e) => e.type);
const children = async (path: string) => (await t.session.getChildren(path))?.children ?? [];

/**
 * Batches: [retired R1] [live L1 L2] [retired R2] [live L3] [retired R3] — one append each.
 * Returns the append results in that order.
 */
async function history(): Promise<AppendResult[]> {
  return [
    await t.log.append('retired', [event('R1')], 'no_stream'),
    await t.log.append('live', [event('L1'), event('L2')], 'no_stream'),
    await t.log.append('retired', [event('R2')], 0),
    await t.log.append('live', [event('L3')], 1),
    await t.log.append('retired', [event('R3')], 1),
  ];
}

/** What the dispatcher would keep: the live stream's events up to `position`. */
async function liveUpTo(position: number): Promise<LoggedEvent[]> {
  return (await collect(t.log.readAll())).filter((e) => e.stream === 'live' && e.position <= position);
}

describe('compaction', () => {
  it('writes the snapshot, deletes the batches up to the point, and reads the snapshot first', async () => {
    const results = await history();
    const point = results[3]!.position;
    const result = await t.log.compact({ upToPosition: point, snapshot: await liveUpTo(point) });
    expect(result).toMatchObject({ compacted: true, cutSequence: 3, snapshotEvents: 3, deletedBatches: 4 });
    expect(await children(`${t.root}/events`)).toEqual(['~0000000004']);
    expect(types(await collect(t.log.readAll()))).toEqual(['L1', 'L2', 'L3', 'R3']);
    expect(types(await collect(t.log.readAll(results[1]!.position)))).toEqual(['L3', 'R3']);
    expect(types(await collect(t.log.readAll(result.upTo)))).toEqual(['R3']);
    expect(types(await collect(t.log.readStream('live')))).toEqual(['L1', 'L2', 'L3']);
    expect(types(await collect(t.log.readStream('retired')))).toEqual(['R3']);
  });

  it('keeps revisions and the fence of every stream across the compaction', async () => {
    const results = await history();
    await t.log.compact({ upToPosition: results[4]!.position, snapshot: [] });
    const failure = await t.log.append('retired', [event('late')], 1).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: ErrorCodes.EXPECTED_REVISION_CONFLICT, actual: 2 });
    const next = await t.log.append('retired', [event('R4')], 2);
    expect(next.nextExpectedRevision).toBe(3);
    expect(next.position).toBeGreaterThan(results[4]!.position);
    expect((await collect(t.log.readStream('retired'))).map((e) => [e.type, e.revision])).toEqual([
      ['R4', 3],
    ]);
  });

  it('keeps a batch that the compaction point cuts through', async () => {
    const results = await history();
    const middleOfLive = results[1]!.position - 1; // L1: the batch also holds L2
    const result = await t.log.compact({ upToPosition: middleOfLive, snapshot: [] });
    expect(result).toMatchObject({ compacted: true, cutSequence: 0, deletedBatches: 1 });
    expect(types(await collect(t.log.readAll()))).toEqual(['L1', 'L2', 'R2', 'L3', 'R3']);
  });

  it('replaces the previous snapshot and removes it', async () => {
    const results = await history();
    await t.log.compact({
      upToPosition: results[1]!.position,
      snapshot: await liveUpTo(results[1]!.position),
    });
    const first = await children(`${t.root}/snapshots`);
    await t.log.compact({
      upToPosition: results[3]!.position,
      snapshot: await liveUpTo(results[3]!.position),
    });
    const second = await children(`${t.root}/snapshots`);
    expect(second).toHaveLength(1);
    expect(second).not.toEqual(first);
    expect(types(await collect(t.log.readAll()))).toEqual(['L1', 'L2', 'L3', 'R3']);
  });

  it('deletes the rest when some of the batches are already gone (a compaction cut short)', async () => {
    const results = await history();
    const [, second] = await children(`${t.root}/events`);
    await t.session.remove(`${t.root}/events/${second}`);
    const result = await t.log.compact({ upToPosition: results[3]!.position, snapshot: [] });
    expect(result).toMatchObject({ compacted: true, cutSequence: 3, deletedBatches: 3 });
    expect(await children(`${t.root}/events`)).toEqual(['~0000000004']);
    expect(types(await collect(t.log.readAll()))).toEqual(['R3']);
  });

  it('deletes more batches than one multi holds (500)', async () => {
    let last = 0;
    for (let i = 0; i < 1_001; i++) {
      last = (await t.log.append('many', [event(`M${i}`)], 'any')).position;
    }
    await t.log.append('many', [event('kept')], 'any');
    const result = await t.log.compact({ upToPosition: last, snapshot: [] });
    expect(result).toMatchObject({ compacted: true, deletedBatches: 1_001 });
    expect(await children(`${t.root}/events`)).toHaveLength(1);
    expect(types(await collect(t.log.readAll()))).toEqual(['kept']);
  });

  it('compacts nothing behind the current point', async () => {
    const results = await history();
    await t.log.compact({ upToPosition: results[3]!.position, snapshot: [] });
    const again = await t.log.compact({ upToPosition: results[1]!.position, snapshot: [] });
    expect(again).toMatchObject({ compacted: false, deletedBatches: 0 });
    expect(types(await collect(t.log.readAll()))).toEqual(['R3']);
  });

  it('rejects a snapshot event above the compaction point, writing nothing', async () => {
    const results = await history();
    const all = await collect(t.log.readAll());
    const failure = await t.log
      .compact({ upToPosition: results[0]!.position, snapshot: all })
      .catch((error: unknown) => error);
    expect(hasCode(failure, ErrorCodes.VALIDATION)).toBe(true);
    expect(await children(`${t.root}/events`)).toHaveLength(5);
    expect(await children(`${t.root}/snapshots`)).toEqual([]);
  });

  it('lets a read that listed the batches before they were deleted go on from the snapshot', async () => {
    // More batches than a read fetches ahead, so that some are gone by the time it gets to them.
    const before: LoggedEvent[] = [];
    for (let i = 0; i < 40; i++) {
      const stream = i % 2 === 0 ? 'retired' : 'live';
      await t.log.append(stream, [event(`${stream}-${i}`)], 'any');
    }
    before.push(...(await collect(t.log.readAll())));
    const point = before[29]!.position;
    const reading = t.log.readAll()[Symbol.asyncIterator]();
    const read: LoggedEvent[] = [(await reading.next()).value as LoggedEvent];
    await t.log.compact({ upToPosition: point, snapshot: await liveUpTo(point) });
    for (let next = await reading.next(); !next.done; next = await reading.next()) read.push(next.value);

    expectStrictlyGrowing(read.map((e) => e.position));
    const ids = new Set(read.map((e) => e.id));
    const kept = before.filter((e) => e.stream === 'live' || e.position > point);
    expect(kept.filter((e) => !ids.has(e.id))).toEqual([]);
    expect(read.every((e) => before.some((b) => b.id === e.id && b.position === e.position))).toBe(true);
    // It went through the snapshot: some retired event below the point was never read.
    expect(before.some((e) => e.stream === 'retired' && e.position <= point && !ids.has(e.id))).toBe(true);
  });

  it('reads from the snapshot when resuming just after a batch that is now below the point', async () => {
    const results = await history();
    // Resume where a reader that had read the first batch whole would: at the end of its sequence.
    const first = (await collect(t.log.readAll())).find((e) => e.type === 'R1')!;
    const resumeAt = Math.floor(first.position / 1_000_000) * 1_000_000 + 999_999;
    await t.log.compact({
      upToPosition: results[3]!.position,
      snapshot: await liveUpTo(results[3]!.position),
    });
    expect(types(await collect(t.log.readAll(resumeAt)))).toEqual(['L1', 'L2', 'L3', 'R3']);
    // Just after the point itself, nothing is missing: the next batch follows at once.
    const cut = Math.floor(results[3]!.position / 1_000_000) * 1_000_000 + 999_999;
    expect(types(await collect(t.log.readAll(cut)))).toEqual(['R3']);
  });

  it('keeps a live subscription going across a compaction, without loss or repeats', async () => {
    const results = await history();
    const watcher = new Watcher(20_000, () => true);
    const subscription = watcher.attach(t.log);
    await watcher.waitForCount(6);
    await t.log.compact({
      upToPosition: results[4]!.position,
      snapshot: await liveUpTo(results[4]!.position),
    });
    await t.log.append('live', [event('L4')], 2);
    await watcher.waitForTypes(['R1', 'L1', 'L2', 'R2', 'L3', 'R3', 'L4']);
    subscription.unsubscribe();
    const fresh = new Watcher(20_000, () => true);
    const again = fresh.attach(t.log);
    await fresh.waitForTypes(['L1', 'L2', 'L3', 'L4']);
    again.unsubscribe();
  });
});
