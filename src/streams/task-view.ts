/**
 * This node's fold of the task log: every event read in the log's one global order, validated, and
 * folded with the task domain's `evolve`. Every node folds the same log and so the same state; the
 * API reads from it, the runner takes its assignments from it, the leader decides on it.
 */
import {
  BehaviorSubject,
  concat,
  defer,
  filter,
  firstValueFrom,
  ignoreElements,
  map,
  type Observable,
  tap,
} from 'rxjs';
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
  /** The current fold first, then each change. */
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
  const folded = new BehaviorSubject<number>(0);

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
      firstValueFrom(
        folded.pipe(
          filter((p) => p >= target),
          map(() => undefined),
        ),
      ),
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
          changes.next(state);
          folded.next(position);
        }).pipe(ignoreElements()),
        // Live from where the catch-up ended: the log never repeats or skips an event after it.
        defer(() => log.subscribeAll(position)).pipe(
          filter((logged) => logged.position > position),
          tap((logged) => {
            fold(logged);
            changes.next(state);
            folded.next(position);
          }),
          ignoreElements(),
        ),
      ),
  };
}
