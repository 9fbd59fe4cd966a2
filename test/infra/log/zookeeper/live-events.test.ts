/**
 * Following the tip: a watch fire starts the read of the next batch at once, beside the tip's
 * re-read, and that read is used once the tip says a batch is due; it never replaces what the tip
 * says. ZooKeeper is replaced by in-memory stand-ins of the reads (the real log runs in the contract
 * and zookeeper tests).
 */
import { NEVER, Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../../../../src/infra/log/port.ts';
import { liveEvents$ } from '../../../../src/infra/log/zookeeper/live-events.ts';
import type { Segment } from '../../../../src/infra/log/zookeeper/log-reader.ts';
import { endOfSequence, positionOf } from '../../../../src/infra/log/zookeeper/positions.ts';
import type { NodeData } from '../../../../src/infra/zookeeper/index.ts';

/** The tip after `version` appends, the last one made at `zxid`. */
function tipAt(version: number, zxid: bigint): NodeData {
  const stat = { czxid: 1n, mzxid: zxid, pzxid: 1n, ctime: 0, mtime: 0, version, cversion: 0 };
  return {
    data: Buffer.alloc(0),
    stat: { ...stat, aversion: 0, ephemeralOwner: null, dataLength: 0, numChildren: 0 },
  };
}

/** Batch `sequence` holding one event, created at zxid `sequence`. */
function batch(sequence: number): Segment {
  const event = {
    id: `e${sequence}`,
    type: 'Noted',
    data: { sequence },
    meta: { node: 'n1', incarnation: 1, at: sequence },
    stream: 's',
    revision: sequence,
    position: positionOf(sequence, 0),
  } as LoggedEvent;
  return { events: [event], through: endOfSequence(sequence), zxid: BigInt(sequence) };
}

/** A log whose batches 1…`present` exist, counting the reads of each by name. */
function fakeLog(present: () => number, hold?: (sequence: number) => Promise<void> | undefined) {
  const reads: number[] = [];
  const tip$ = new Subject<NodeData | null>();
  const fires$ = new Subject<void>();
  const events: LoggedEvent[] = [];
  const subscription = liveEvents$(
    {
      tip$,
      tipFires$: fires$,
      // The catch-up: every batch there is (the cursor starts before the first).
      readListed: async function* () {
        for (let sequence = 1; sequence <= present(); sequence++) yield batch(sequence);
      },
      readBatch: async (sequence) => {
        reads.push(sequence);
        const exists = sequence <= present();
        await hold?.(sequence);
        return exists ? batch(sequence) : 'absent';
      },
      closed$: NEVER,
      retryDelayMs: 10,
      toLogError: (error) => error,
    },
    0,
  ).subscribe((event) => events.push(event));
  return { reads, tip$, fires$, events, subscription };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('following the tip of the zookeeper log', () => {
  it('starts reading the next batch on a watch fire, before the tip is read again', async () => {
    let present = 1;
    const log = fakeLog(() => present);
    log.tip$.next(tipAt(1, 1n));
    await settle();
    present = 2;
    log.fires$.next();
    expect(log.reads).toEqual([2]);
    log.tip$.next(tipAt(2, 2n));
    await settle();
    expect(log.events.map((e) => e.revision)).toEqual([1, 2]);
    expect(log.reads).toEqual([2]); // the early read served: no second read of the batch
    log.subscription.unsubscribe();
  });

  it('delivers nothing the tip has not announced', async () => {
    let present = 1;
    const log = fakeLog(() => present);
    log.tip$.next(tipAt(1, 1n));
    await settle();
    present = 2;
    log.fires$.next();
    await settle();
    expect(log.events.map((e) => e.revision)).toEqual([1]);
    log.subscription.unsubscribe();
  });

  it('reads the batch again when the early read came too soon to find it', async () => {
    let present = 1;
    const log = fakeLog(() => present);
    log.tip$.next(tipAt(1, 1n));
    await settle();
    log.fires$.next();
    await settle();
    present = 2;
    log.tip$.next(tipAt(2, 2n));
    await settle();
    expect(log.events.map((e) => e.revision)).toEqual([1, 2]);
    expect(log.reads).toEqual([2, 2]);
    log.subscription.unsubscribe();
  });

  it('while a read is under way, starts reading the batch after the ones it asked for', async () => {
    let present = 1;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const log = fakeLog(
      () => present,
      (sequence) => (sequence === 2 ? held : undefined),
    );
    log.tip$.next(tipAt(1, 1n));
    await settle();
    present = 2;
    log.tip$.next(tipAt(2, 2n)); // batch 2 is being read, and held
    await settle();
    present = 3;
    log.fires$.next(); // batch 3 was appended meanwhile
    expect(log.reads).toEqual([2, 3]);
    release();
    log.tip$.next(tipAt(3, 3n));
    await settle();
    await settle();
    expect(log.events.map((e) => e.revision)).toEqual([1, 2, 3]);
    expect(log.reads).toEqual([2, 3]);
    log.subscription.unsubscribe();
  });
});
