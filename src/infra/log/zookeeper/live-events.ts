/**
 * subscribeAll on ZooKeeper: a catch-up that lists the batches, then live reads that follow the tip.
 *
 * Every append sets the tip znode in the multi that creates its batch, so the tip's mzxid is the
 * zxid of the newest append, and equals the czxid of its batch. The tip is watched (the adapter's
 * watchData$ re-arms after every fire and after every reconnect, and emits the current value first).
 * While the tip is newer than the newest batch read, the reader reads the next batch by its name,
 * `~<sequence + 1>` (znode-names.ts): one small read per append, where a child list of the whole log
 * would cost every node a transfer that grows with the log.
 *
 * Why reading by the next name never skips a batch: the leader gives a sequential znode its sequence
 * while ordering the write, in the same order as the writes' zxids, and every server applies writes
 * in zxid order; so once a batch with sequence s is visible, every smaller one is too (or was
 * compacted away, and is then in the snapshot), and no later batch gets a smaller sequence. A reconnect
 * does not break this: ZooKeeper never lets a session attach to a server that has seen less than it
 * has. When the next name is absent although the tip says more was appended, the sequence went to
 * something else (compaction's deletes and foreign znodes count too, or an older log's name): the
 * reader then lists the batches (log-reader.ts, with the snapshot), as the catch-up does, and is
 * caught up to the tip it saw before listing. And never repeats: the cursor only moves forward, and the
 * reader keeps only positions above it.
 *
 * A watch fire starts the read of the next batch at once, in the same turn (and so the same socket
 * write) as the tip's re-read, instead of one round trip after it: the fire means an append, whose
 * batch is then most likely the next name. That read is only a head start: it is used once the tip,
 * read as before, says a batch is due, and an 'absent' from it proves nothing (it is read again).
 *
 * Reads run one at a time; a tip that moves meanwhile is read after. A read that fails for a passing
 * reason (disconnected, timeout) is tried again after `retryDelayMs` (and the watch re-reads on
 * reconnect); any other failure ends the subscription with the port's error.
 */
import { Observable } from 'rxjs';
import type { NodeData } from '../../zookeeper/index.ts';
import { isRetryableZkError } from '../../zookeeper/index.ts';
import type { LoggedEvent } from '../port.ts';
import type { Segment } from './log-reader.ts';
import { endOfSequence, sequenceOf } from './positions.ts';

/** Batches read by name at once when the tip says several appends happened. */
const READ_AHEAD = 8;
/** Events handed on in one turn of the event loop: folding a batch of a thousand must not stall it. */
const SLICE = 200;

export interface LiveEventsDeps {
  /** The tip: current first, then after every append (watchData$). */
  readonly tip$: Observable<NodeData | null>;
  /** Each fire of the tip's watch, before tip$ re-reads it (watchFires$): a hint, not a fact. */
  readonly tipFires$?: Observable<void>;
  /** Everything above a cursor, in order, listing the batches: the catch-up, and after a gap. */
  readonly readListed: (after: number) => AsyncIterable<Segment>;
  /** The batch with this sequence, read by its name. */
  readonly readBatch: (sequence: number) => Promise<Segment | 'absent'>;
  /** Completes (or errors) every subscription once the log closes. */
  readonly closed$: Observable<unknown>;
  readonly retryDelayMs: number;
  /** The port's error for a failure that ends the subscription. */
  readonly toLogError: (error: unknown) => unknown;
}

/** Catch-up from `after`, then live; never repeats or skips an event. */
export function liveEvents$(deps: LiveEventsDeps, after: number): Observable<LoggedEvent> {
  return new Observable<LoggedEvent>((subscriber) => {
    let through = after;
    /** Every append up to this zxid has been read. */
    let caught = -1n;
    /** The tip as last seen: the newest append's zxid, and how many appends the tip has seen. */
    let tip = { zxid: 0n, version: 0 };
    /** How many appends (tip versions) the batches read so far account for: what is left to read. */
    let readVersion = 0;
    let mustList = true;
    let reading = false;
    let again = false;
    let retryTimer: NodeJS.Timeout | undefined;
    /** The next batch, read ahead of the tip on a watch fire. */
    let early: { readonly sequence: number; readonly read: Promise<Segment | 'absent'> } | undefined;
    const active = (): boolean => !subscriber.closed;

    /** The highest batch asked for by name in the current pass of reads (0: none yet). */
    let requested = 0;

    /**
     * On a fire: start reading the batch after the last one read or being read. Idle, that is the
     * next after the cursor (when it stands at a batch's end); while reads run, the one after the
     * highest they asked for, so a busy reader gains the round trip too.
     */
    const readEarly = (): void => {
      if (!active() || mustList) return;
      let sequence: number;
      if (reading) {
        if (requested === 0) return; // listing, or about to read by name: nothing to go by
        sequence = requested + 1;
      } else {
        if (through !== endOfSequence(sequenceOf(through))) return;
        sequence = sequenceOf(through) + 1;
      }
      if (early !== undefined && early.sequence >= sequence) return;
      const read = deps.readBatch(sequence);
      read.catch(() => undefined); // one never used must not go unhandled
      early = { sequence, read };
    };

    /** Batch `sequence`: the early read when it is that batch and found it, else a read now. */
    const readBatch = async (sequence: number): Promise<Segment | 'absent'> => {
      const taken = early;
      if (taken === undefined || taken.sequence > sequence) return deps.readBatch(sequence);
      early = undefined;
      if (taken.sequence < sequence) return deps.readBatch(sequence);
      const segment = await taken.read.catch(() => 'absent' as const);
      return segment === 'absent' ? deps.readBatch(sequence) : segment;
    };

    /** Hands a segment's events on, a slice per turn of the event loop (a batch may hold thousands). */
    const emit = async (segment: Segment): Promise<void> => {
      const { events } = segment;
      for (let start = 0; start < events.length; start += SLICE) {
        if (start > 0) await new Promise<void>((resolve) => setImmediate(resolve));
        if (!active()) return;
        for (let i = start; i < Math.min(events.length, start + SLICE); i++)
          subscriber.next(events[i] as LoggedEvent);
      }
      through = Math.max(through, segment.through);
      if (segment.zxid !== undefined && segment.zxid > caught) caught = segment.zxid;
    };

    /** Lists the batches above the cursor (and the snapshot): caught up to the tip seen before. */
    const readByListing = async (): Promise<void> => {
      const target = tip;
      early = undefined;
      requested = 0;
      for await (const segment of deps.readListed(through)) {
        if (!active()) return;
        await emit(segment);
      }
      if (target.zxid > caught) caught = target.zxid;
      readVersion = Math.max(readVersion, target.version);
      mustList = false;
    };

    /** Reads the next batches by name while the tip is ahead; false at a gap. */
    const readByName = async (): Promise<boolean> => {
      while (tip.zxid > caught) {
        if (through !== endOfSequence(sequenceOf(through))) return false;
        // One batch per append the tip counted and no batch accounts for yet: read those at once.
        const want = Math.min(READ_AHEAD, Math.max(1, tip.version - readVersion));
        const first = sequenceOf(through) + 1;
        requested = first + want - 1;
        const reads = Array.from({ length: want }, (_, i) => readBatch(first + i));
        for (const read of reads) read.catch(() => undefined); // one not awaited must not go unhandled
        for (const [index, read] of reads.entries()) {
          const segment = await read;
          if (!active()) return true;
          if (segment === 'absent') {
            if (index === 0) return false;
            break;
          }
          await emit(segment);
          readVersion += 1;
        }
      }
      readVersion = Math.max(readVersion, tip.version);
      return true;
    };

    const readOnce = async (): Promise<void> => {
      try {
        if (mustList) await readByListing();
        if (!(await readByName())) {
          mustList = true;
          await readByListing();
        }
      } catch (error) {
        if (!active()) return;
        if (!isRetryableZkError(error)) {
          subscriber.error(deps.toLogError(error));
          return;
        }
        clearTimeout(retryTimer);
        retryTimer = setTimeout(trigger, deps.retryDelayMs);
      }
    };

    const trigger = (): void => {
      if (!active()) return;
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      void (async () => {
        do {
          again = false;
          await readOnce();
        } while (again && active());
        reading = false;
        requested = 0;
      })();
    };

    const closed = deps.closed$.subscribe({
      next: () => subscriber.complete(),
      complete: () => subscriber.complete(),
    });
    const watched = deps.tip$.subscribe({
      next: (node) => {
        // A tip that is gone (removed by hand) says nothing new: the last one seen stands.
        if (node !== null) tip = { zxid: node.stat.mzxid, version: node.stat.version };
        trigger();
      },
      error: (error: unknown) => subscriber.error(deps.toLogError(error)),
      complete: () => subscriber.complete(),
    });
    // Subscribed after tip$: on a fire, the tip's re-read is asked for first, then the batch.
    const fires = deps.tipFires$?.subscribe(readEarly);
    return () => {
      clearTimeout(retryTimer);
      closed.unsubscribe();
      watched.unsubscribe();
      fires?.unsubscribe();
    };
  });
}
