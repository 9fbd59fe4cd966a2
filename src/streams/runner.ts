/**
 * The runner, on every node: takes this node's assignments from the fold of the task log, runs each
 * with its handler under an AbortSignal, and reports started / progress / succeeded / failed with the
 * attempt and epoch it was given. Cancellation, deadlines, reassignment and teardown abort handlers.
 *
 * At most `capacity` handlers run at once. The leader may assign more (the node's prefetch,
 * schedule.ts): those wait in a queue, oldest assignment first, and start as slots free, without a
 * round trip through the leader. A queued attempt that the fold no longer gives this node (cancelled,
 * timed out, reassigned) leaves the queue unstarted; at teardown the queue is dropped, and the new
 * leader requeues those attempts like any other this node held.
 *
 * Reports are group-committed: those made in the same turn of the event loop, and those made while
 * an append is in flight, go out together as the next append to `runner-<node>`, in the order they
 * were made (so a task's TaskStarted always precedes its end). One append is in flight at a time.
 * A handler starts without waiting for its TaskStarted to be written: a quick task's start and end
 * then share one append (group-commit.ts). The fold is followed once per batch of events it
 * announces, not once per event.
 */
import { BehaviorSubject, combineLatest, type Observable, type SchedulerLike } from 'rxjs';
import { distinctUntilChanged, ignoreElements, map, tap, throttleTime } from 'rxjs/operators';
import {
  type AttemptRef,
  assignmentsFor,
  decideReport,
  type JsonValue,
  type RunnerAssignment,
  type RunnerEvent,
  type RunnerOutcome,
  runnerStream,
} from '../domain/task/index.ts';
import type { TaskHandler } from '../infra/handlers/handler.ts';
import { TaskFailure } from '../infra/handlers/handler.ts';
import type { HandlerRegistry } from '../infra/handlers/registry.ts';
import type { EventLog } from '../infra/log/port.ts';
import { groupCommit } from './group-commit.ts';
import type { TaskView } from './task-view.ts';

/** Shortest time between two load reports in the member znode. */
const LOAD_REPORT_MS = 500;

export interface RunnerDeps {
  readonly log: EventLog;
  readonly view: TaskView;
  readonly handlers: HandlerRegistry;
  readonly scheduler: SchedulerLike;
  readonly node: string;
  readonly incarnation: number;
  /** Handlers running at once; assignments beyond it wait in the queue. */
  readonly capacity: number;
  /** Progress reports closer together than this are dropped (the last one still goes out). */
  readonly progressIntervalMs: number;
  readonly onError?: (error: unknown, taskId: string) => void;
}

interface Running {
  readonly assignment: RunnerAssignment;
  readonly controller: AbortController;
  /** Settles when the handler has returned or thrown (its report may still be on its way). */
  readonly handlerEnded: Promise<void>;
  /** Settles when the attempt's reports have been appended (or failed). */
  readonly done: Promise<void>;
}

/**
 * How `stop` ends: 'reports' waits until the aborted handlers' reports are appended (an orderly
 * shutdown); 'handlers' waits only until the handlers have returned — after a lost session the
 * reports cannot reach the store, and the new leader requeues those attempts anyway.
 */
export type StopWaitsFor = 'reports' | 'handlers';

export interface Runner {
  /** Follows the fold: starts new assignments, aborts what must stop. Emits nothing. */
  readonly run$: Observable<never>;
  /** Load and draining, for this node's member znode. */
  readonly view$: Observable<{ readonly draining: boolean; readonly load: number }>;
  setDraining(draining: boolean): void;
  /** Stops taking work, aborts every running handler, waits for what `waitFor` names. Idempotent. */
  stop(reason: string, waitFor?: StopWaitsFor): Promise<void>;
}

/** A runner for one incarnation of `node`. */
export function createRunner(deps: RunnerDeps): Runner {
  const { log, view, handlers, scheduler, node, incarnation } = deps;
  const running = new Map<string, Running>();
  /** Assignments taken but not started: no free slot yet. */
  let queue: RunnerAssignment[] = [];
  /** Attempts whose end is not decided yet (a slot is free once its report is queued, not written). */
  let slotsInUse = 0;
  // Attempts this runner already took: one that just ended may still look assigned in the fold
  // until its report comes back, and must not run twice.
  const taken = new Set<string>();
  const load = new BehaviorSubject(0);
  const draining = new BehaviorSubject(false);
  let stopped = false;

  const stream = runnerStream(node);
  const reports = groupCommit<RunnerEvent>((events) => log.append(stream, events, 'any'));
  const report = (assignment: RunnerAssignment, outcome: RunnerOutcome): Promise<void> => {
    const event = decideReport(assignment, outcome, scheduler.now());
    return reports.add([event]).then(
      () => undefined,
      // The attempt stays assigned in the log: the leader requeues it when this node is gone.
      (error: unknown) => deps.onError?.(error, event.data.taskId),
    );
  };

  /** What an attempt calls as it goes: its handler returned; its end is decided (its slot is free). */
  interface Milestones {
    readonly handlerEnded: () => void;
    readonly endDecided: () => void;
  }

  const execute = async (
    assignment: RunnerAssignment,
    handler: TaskHandler | undefined,
    signal: AbortSignal,
    milestones: Milestones,
  ): Promise<void> => {
    // The handler does not wait for its TaskStarted to be written: the report is queued first, so it
    // precedes any later report of this attempt, and a quick task's start and end share one append.
    const started =
      assignment.status === 'assigned' ? report(assignment, { kind: 'started' }) : Promise.resolve();
    try {
      await runToEnd(assignment, handler, signal, milestones);
    } finally {
      milestones.handlerEnded();
      milestones.endDecided();
      await started;
    }
  };

  /**
   * Runs the handler and reports how the attempt ended (nothing when the dispatcher ended it). The
   * end's report is queued before the slot frees, so the next attempt's TaskStarted follows it; the
   * slot does not wait for that report to be written.
   */
  const runToEnd = async (
    assignment: RunnerAssignment,
    handler: TaskHandler | undefined,
    signal: AbortSignal,
    { handlerEnded, endDecided }: Milestones,
  ): Promise<void> => {
    const reportEnd = (outcome: RunnerOutcome): Promise<void> => {
      const reported = report(assignment, outcome);
      endDecided();
      return reported;
    };
    if (handler === undefined) {
      handlerEnded();
      const message = `no handler for task type "${assignment.type}" on node ${node}`;
      return reportEnd({ kind: 'failed', error: { message, code: 'NO_HANDLER' }, retryable: false });
    }
    let lastProgress = Number.NEGATIVE_INFINITY;
    const progress = (fraction: number, message?: string) => {
      const now = scheduler.now();
      if (signal.aborted || now - lastProgress < deps.progressIntervalMs) return;
      lastProgress = now;
      const p = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
      void report(assignment, {
        kind: 'progressed',
        progress: p,
        ...(message === undefined ? {} : { message }),
      });
    };
    try {
      const context = { signal, progress, attempt: assignment.attempt, taskId: assignment.taskId };
      // A module's run may return a plain value: Promise.resolve keeps `finally` safe.
      const result = await Promise.resolve(handler.run(assignment.payload, context)).finally(handlerEnded);
      if (signal.aborted) return; // the dispatcher already ended this attempt (cancel, deadline, reassign)
      await reportEnd({ kind: 'succeeded', result: toJson(result) });
    } catch (error) {
      if (signal.aborted && signal.reason !== 'shutdown') return;
      // A task stopped by this node's shutdown did nothing wrong: another node may run it again.
      const retryable =
        signal.reason === 'shutdown' || (error instanceof TaskFailure ? error.retryable : true);
      const message = error instanceof Error ? error.message : String(error);
      await reportEnd({ kind: 'failed', error: { message: message.slice(0, 4096) }, retryable });
    }
  };

  const start = (assignment: RunnerAssignment): void => {
    const controller = new AbortController();
    let deadline: NodeJS.Timeout | undefined;
    if (assignment.deadline !== undefined) {
      deadline = setTimeout(
        () => controller.abort('deadline'),
        Math.max(0, assignment.deadline - scheduler.now()),
      );
      deadline.unref();
    }
    let markHandlerEnded = (): void => undefined;
    const handlerEnded = new Promise<void>((resolve) => {
      markHandlerEnded = resolve;
    });
    let holdsSlot = true;
    slotsInUse += 1;
    const endDecided = (): void => {
      if (!holdsSlot) return;
      holdsSlot = false;
      slotsInUse -= 1;
      startQueued();
    };
    const done = execute(assignment, handlers.get(assignment.type), controller.signal, {
      handlerEnded: markHandlerEnded,
      endDecided,
    }).finally(() => {
      if (deadline) clearTimeout(deadline);
      running.delete(assignment.taskId);
      load.next(running.size);
    });
    running.set(assignment.taskId, { assignment, controller, handlerEnded, done });
    load.next(running.size);
  };

  /** Starts queued assignments while slots are free. */
  const startQueued = (): void => {
    while (!stopped && slotsInUse < deps.capacity && queue.length > 0) {
      start(queue.shift() as RunnerAssignment);
    }
  };

  const follow = () => {
    if (stopped) return;
    const refs: AttemptRef[] = [...running.values()].map(({ assignment }) => ({
      taskId: assignment.taskId,
      attempt: assignment.attempt,
    }));
    const work = assignmentsFor(node, incarnation, view.current(), refs);
    for (const order of work.abort) running.get(order.taskId)?.controller.abort(order.reason);
    // Forget attempts the fold no longer gives this node: their reports came back, or (queued ones)
    // the dispatcher ended them before they started.
    const assigned = new Set(work.assignments.map(attemptKey));
    for (const key of taken) if (!assigned.has(key)) taken.delete(key);
    if (queue.length > 0) queue = queue.filter((a) => assigned.has(attemptKey(a)));
    for (const assignment of work.assignments) {
      const key = attemptKey(assignment);
      if (running.has(assignment.taskId) || taken.has(key)) continue;
      taken.add(key);
      queue.push(assignment);
    }
    startQueued();
  };

  return {
    // The fold announces each batch of events once (task-view.ts), and finding this node's work reads
    // the active index, not every task: follow each announcement at once, without a timer's delay.
    run$: view.state$.pipe(tap(follow), ignoreElements()),
    // Load goes into this node's member znode, and every node journals each change it sees: report
    // it at most every LOAD_REPORT_MS (the latest value always goes out). Scheduling never reads it.
    view$: combineLatest([
      draining,
      load.pipe(throttleTime(LOAD_REPORT_MS, scheduler, { leading: true, trailing: true })),
    ]).pipe(
      map(([d, l]) => ({ draining: d, load: l })),
      distinctUntilChanged((a, b) => a.draining === b.draining && a.load === b.load),
    ),
    setDraining: (value) => draining.next(value),
    stop: async (reason, waitFor = 'reports') => {
      stopped = true;
      queue = [];
      const all = [...running.values()];
      for (const r of all) r.controller.abort(reason);
      await Promise.allSettled(all.map((r) => (waitFor === 'reports' ? r.done : r.handlerEnded)));
    },
  };
}

const attemptKey = (a: AttemptRef): string => `${a.taskId}#${a.attempt}`;

/** Handler results are stored in the log: keep what JSON can carry. */
function toJson(value: unknown): JsonValue | undefined {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(JSON.stringify(value)) as JsonValue;
  } catch {
    return String(value);
  }
}
