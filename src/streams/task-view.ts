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
}

/** A view over `log`, empty until started. */
export function createTaskView(log: EventLog): TaskView {
  let state = initialState();
  let position = 0;
  let caughtUp = false;
  const revisions = new Map<string, number>();
  const changes = new BehaviorSubject<TasksState>(state);
  const folded = new BehaviorSubject<number>(0);

  const fold = (logged: LoggedEvent): void => {
    const parsed = parseTaskEvent(logged, {
      stream: logged.stream,
      revision: logged.revision,
      position: logged.position,
    });
    state = parsed.ok ? evolve(state, parsed.event) : recordAnomaly(state, parsed.anomaly);
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
