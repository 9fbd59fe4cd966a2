/**
 * Group commit of appends to one stream: what callers add in the same turn of the event loop, and
 * while an append is in flight, goes out together as the next append, in the order it was added.
 * One append is in flight at a time, so writers of one stream never race each other on its head.
 *
 * A caller's events stay together in one append (a batch submission is all or nothing). Nothing is
 * measured up front (a JSON.stringify per event would cost as much as the append): the log checks
 * the batch's size before it writes anything, and a group it refuses as too large is split in two
 * and tried again; a single caller's events that are too large on their own fail alone.
 */
import { ErrorCodes, hasCode } from '../errors.ts';
import type { AppendResult, EventToAppend } from '../infra/log/port.ts';

/** Events per append when callers add few each: well under every backend's batch limit. */
export const MAX_GROUP_EVENTS = 1_000;

export interface GroupCommit<E extends EventToAppend> {
  /** Queues `events` for the next append; resolves with that append's result, or rejects with its error. */
  add(events: readonly E[]): Promise<AppendResult>;
}

interface Waiting<E> {
  readonly events: readonly E[];
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

/** Group commit over `append` (one stream, its expected revision decided by `append`). */
export function groupCommit<E extends EventToAppend>(
  append: (events: readonly E[]) => Promise<AppendResult>,
  maxEvents = MAX_GROUP_EVENTS,
): GroupCommit<E> {
  let queue: Waiting<E>[] = [];
  let flushing = false;

  /** The oldest callers whose events fit in `maxEvents` together (at least one caller). */
  const take = (): Waiting<E>[] => {
    let count = 0;
    let events = 0;
    while (count < queue.length) {
      events += (queue[count] as Waiting<E>).events.length;
      if (count > 0 && events > maxEvents) break;
      count += 1;
    }
    const group = queue.slice(0, count);
    queue = queue.slice(count);
    return group;
  };

  const commit = async (group: readonly Waiting<E>[]): Promise<void> => {
    try {
      const result = await append(
        group.length === 1 ? (group[0] as Waiting<E>).events : group.flatMap((w) => w.events),
      );
      for (const waiting of group) waiting.resolve(result);
    } catch (error) {
      if (group.length > 1 && hasCode(error, ErrorCodes.BATCH_TOO_LARGE)) {
        const half = Math.ceil(group.length / 2);
        await commit(group.slice(0, half));
        await commit(group.slice(half));
        return;
      }
      for (const waiting of group) waiting.reject(error);
    }
  };

  const flush = async (): Promise<void> => {
    while (queue.length > 0) await commit(take());
    flushing = false;
  };

  return {
    add: (events) =>
      new Promise<AppendResult>((resolve, reject) => {
        queue.push({ events, resolve, reject });
        if (flushing) return;
        flushing = true;
        // After this turn's microtasks: what is added by work that finishes at once joins the group.
        setImmediate(() => void flush());
      }),
  };
}
