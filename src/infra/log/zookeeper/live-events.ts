/**
 * subscribeAll on ZooKeeper: the events parent's child list, watched (the adapter's watchChildren$
 * re-arms after every fire and after every reconnect, and emits the current list first), and after
 * each list, a read of every batch above the last one emitted. The first list is the catch-up, the
 * next ones are live: one code path, so nothing falls between catch-up and live.
 *
 * Why "sequence above the last one read" never skips a batch: the leader gives a sequential znode
 * its sequence while ordering the write, in the same order as the writes' zxids, and every server
 * applies writes in zxid order. So once a batch with sequence s is visible, every batch with a
 * smaller sequence is visible too (or was compacted away, and is then in the snapshot), and no later
 * batch can get a smaller sequence. A reconnect does not break this: ZooKeeper never lets a session
 * attach to a server that has seen less than the session has (lastZxidSeen in the handshake).
 * And never repeats: the cursor only moves forward, and the reader keeps only positions above it.
 *
 * Reads run one at a time; a list that arrives meanwhile is read after. A read that fails for a
 * passing reason (disconnected, timeout) is tried again after `retryDelayMs` (and the watch re-reads
 * on reconnect); any other failure ends the subscription with the port's error.
 */
import { Observable } from 'rxjs';
import type { NodeChildren } from '../../zookeeper/index.ts';
import { isRetryableZkError } from '../../zookeeper/index.ts';
import type { LoggedEvent } from '../port.ts';
import type { Segment } from './log-reader.ts';

export interface LiveEventsDeps {
  /** The events parent's children: current first, then on every change (watchChildren$). */
  readonly children$: Observable<NodeChildren | null>;
  /** Everything above a cursor, in order; `listed` spares a child list already in hand. */
  readonly read: (after: number, listed: readonly string[] | undefined) => AsyncIterable<Segment>;
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
    let reading = false;
    let again = false;
    let latest: readonly string[] | undefined;
    let retryTimer: NodeJS.Timeout | undefined;
    const active = (): boolean => !subscriber.closed;

    const readOnce = async (): Promise<void> => {
      const listed = latest;
      latest = undefined;
      try {
        for await (const segment of deps.read(through, listed)) {
          if (!active()) return;
          for (const event of segment.events) subscriber.next(event);
          through = Math.max(through, segment.through);
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
      })();
    };

    const closed = deps.closed$.subscribe({
      next: () => subscriber.complete(),
      complete: () => subscriber.complete(),
    });
    const watched = deps.children$.subscribe({
      next: (children) => {
        latest = children?.children ?? [];
        trigger();
      },
      error: (error: unknown) => subscriber.error(deps.toLogError(error)),
      complete: () => subscriber.complete(),
    });
    return () => {
      clearTimeout(retryTimer);
      closed.unsubscribe();
      watched.unsubscribe();
    };
  });
}
