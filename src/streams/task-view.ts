/**
 * This node's fold of the task log: every event read in the log's one global order, validated, and
 * folded with the task domain's `evolve`. Every node folds the same log and so the same state; the
 * API reads from it, the runner takes its assignments from it, the leader decides on it.
 */
import { BehaviorSubject, concat, defer, filter, ignoreElements, type Observable, tap } from 'rxjs';
import {
  evolve,
  getTask,
  initialState,
  parseTaskEvent,
  recordAnomaly,
  type TasksState,
} from '../domain/task/index.ts';
import type { EventLog, LoggedEvent } from '../infra/log/port.ts';

export interface TaskView {
  /** The current fold first, then the fold after each batch of events the log hands over. */
  readonly state$: Observable<TasksState>;
  current(): TasksState;
  /** Position of the last event folded (0 before any). */
  position(): number;
  /** Revision of the last event folded from `stream`, or 'no_stream'. */
  revision(stream: string): number | 'no_stream';
  /** True once everything written before the view started has been folded. */
  caughtUp(): boolean;
  /** Resolves once events up to `position` are folded (e.g. this node's own append). */
  reached(position: number): Promise<void>;
  /** Reads the log to its end, then follows it live until stopped. Errors when the log does. */
  start(): Observable<never>;
  /**
   * Where the log may be compacted: every event at or below `upTo` belongs to a retired task, except
   * the latest EpochStarted (in `keep`, for the snapshot). Undefined while nothing can go.
   */
  compactionPoint(): { readonly upTo: number; readonly keep: readonly LoggedEvent[] } | undefined;
}

/** A view over `log`, empty until started. */
export function createTaskView(log: EventLog): TaskView {
  let state = initialState();
  let position = 0;
  let caughtUp = false;
  const revisions = new Map<string, number>();
  // Where each unretired task's history starts, and the latest fence: what compaction must respect.
  const firstPositions = new Map<string, number>();
  let latestEpoch: LoggedEvent | undefined;
  const changes = new BehaviorSubject<TasksState>(state);
  // Callers waiting for a position to be folded, oldest (lowest) position first.
  const waiters: { readonly position: number; readonly resolve: () => void }[] = [];
  let announced = 0;

  /** Tells subscribers of the state and the waiters of every position folded so far. */
  const announce = (always = false): void => {
    if (always || changes.value !== state) changes.next(state);
    announced = position;
    let done = 0;
    while (done < waiters.length && (waiters[done]?.position ?? Number.POSITIVE_INFINITY) <= position) done++;
    for (const waiter of waiters.splice(0, done)) waiter.resolve();
  };
  // A live batch (one append read back, up to a thousand events) is announced once, a microtask
  // after its events were folded, not once per event: every subscriber decides on the whole state.
  let announcing = false;
  const announceSoon = (): void => {
    if (announcing) return;
    announcing = true;
    queueMicrotask(() => {
      announcing = false;
      announce();
    });
  };

  const fold = (logged: LoggedEvent): void => {
    const parsed = parseTaskEvent(logged, {
      stream: logged.stream,
      revision: logged.revision,
      position: logged.position,
    });
    state = parsed.ok ? evolve(state, parsed.event) : recordAnomaly(state, parsed.anomaly);
    if (parsed.ok) {
      const { event } = parsed;
      // A duplicate submission (same idempotency key) folds into the first task: only real tasks count.
      const created =
        event.type === 'TaskSubmitted' && getTask(state, event.data.taskId)?.taskId === event.data.taskId;
      if (created && !firstPositions.has(event.data.taskId))
        firstPositions.set(event.data.taskId, logged.position);
      if (event.type === 'TaskRetired') firstPositions.delete(event.data.taskId);
      if (event.type === 'EpochStarted') latestEpoch = logged;
    }
    position = logged.position;
    revisions.set(logged.stream, logged.revision);
  };

  return {
    state$: changes.asObservable(),
    current: () => state,
    position: () => position,
    revision: (stream) => revisions.get(stream) ?? 'no_stream',
    caughtUp: () => caughtUp,
    reached: (target) =>
      new Promise<void>((resolve) => {
        if (target <= announced) return resolve();
        // Appends come back mostly in order: search from the end for the place to keep the list sorted.
        let at = waiters.length;
        while (at > 0 && (waiters[at - 1]?.position ?? 0) > target) at--;
        waiters.splice(at, 0, { position: target, resolve });
      }),
    compactionPoint: () => {
      let oldest = position + 1;
      for (const first of firstPositions.values()) oldest = Math.min(oldest, first);
      const upTo = oldest - 1;
      if (upTo <= 0) return undefined;
      const keep = latestEpoch !== undefined && latestEpoch.position <= upTo ? [latestEpoch] : [];
      return { upTo, keep };
    },
    start: () =>
      concat(
        defer(async () => {
          for await (const logged of log.readAll(position)) fold(logged);
          caughtUp = true;
          // Being caught up is news even when the log was empty (the dispatcher waits for it).
          announce(true);
        }).pipe(ignoreElements()),
        // Live from where the catch-up ended: the log never repeats or skips an event after it.
        defer(() => log.subscribeAll(position)).pipe(
          filter((logged) => logged.position > position),
          tap((logged) => {
            fold(logged);
            announceSoon();
          }),
          ignoreElements(),
        ),
      ),
  };
}
