/**
 * Compaction of the task log, by the leader: once enough tasks have retired, everything at or below
 * the oldest unretired task's submission is replaced by a snapshot (the latest fence) and deleted,
 * so that the log (ZooKeeper's child list) stays bounded. Only backends that can compact take part.
 */
import { defer, EMPTY, interval, type Observable, type SchedulerLike } from 'rxjs';
import { exhaustMap, filter, ignoreElements } from 'rxjs/operators';
import type { EventLog } from '../infra/log/port.ts';
import type { ZooKeeperEventLog } from '../infra/log/zookeeper/zookeeper-event-log.ts';
import type { NodeStore } from './node-store.ts';
import type { TaskView } from './task-view.ts';

export interface CompactionDeps {
  readonly log: EventLog;
  readonly view: TaskView;
  readonly store: NodeStore;
  readonly scheduler: SchedulerLike;
  readonly everyMs: number;
  /** Compact only once at least this many tasks retired since the last compaction. */
  readonly minRetired: number;
  readonly onCompacted?: (result: { readonly upTo: number; readonly deletedBatches: number }) => void;
  readonly onError?: (error: unknown) => void;
}

function canCompact(log: EventLog): log is ZooKeeperEventLog {
  return typeof (log as Partial<ZooKeeperEventLog>).compact === 'function';
}

/** Compacts now and then while this node leads; emits nothing. */
export function compaction$(deps: CompactionDeps): Observable<never> {
  const { log, view, store, scheduler } = deps;
  if (!canCompact(log)) return EMPTY;
  let retiredAtLast = 0;
  return interval(deps.everyMs, scheduler).pipe(
    filter(() => store.current().role.status === 'leader' && view.caughtUp()),
    filter(() => view.current().retiredCount - retiredAtLast >= deps.minRetired),
    exhaustMap(() =>
      defer(async () => {
        const point = view.compactionPoint();
        if (point === undefined) return;
        const retired = view.current().retiredCount;
        try {
          const result = await log.compact({ upToPosition: point.upTo, snapshot: point.keep });
          retiredAtLast = retired;
          deps.onCompacted?.({ upTo: result.upTo, deletedBatches: result.deletedBatches });
        } catch (error) {
          // Another compaction or a passing failure: the next round tries again.
          deps.onError?.(error);
        }
      }),
    ),
    ignoreElements(),
  );
}
