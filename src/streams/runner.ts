/**
 * The runner, on every node: takes this node's assignments from the fold of the task log, runs each
 * with its handler under an AbortSignal, and reports started / progress / succeeded / failed with the
 * attempt and epoch it was given. Cancellation, deadlines, reassignment and teardown abort handlers.
 */
import { BehaviorSubject, combineLatest, type Observable, type SchedulerLike } from 'rxjs';
import { distinctUntilChanged, ignoreElements, map, tap } from 'rxjs/operators';
import {
  type AttemptRef,
  assignmentsFor,
  decideReport,
  type JsonValue,
  type RunnerAssignment,
  type RunnerOutcome,
} from '../domain/task/index.ts';
import type { TaskHandler } from '../infra/handlers/handler.ts';
import { TaskFailure } from '../infra/handlers/handler.ts';
import type { HandlerRegistry } from '../infra/handlers/registry.ts';
import type { EventLog } from '../infra/log/port.ts';
import type { TaskView } from './task-view.ts';

export const runnerStream = (node: string): string => `runner-${node}`;

export interface RunnerDeps {
  readonly log: EventLog;
  readonly view: TaskView;
  readonly handlers: HandlerRegistry;
  readonly scheduler: SchedulerLike;
  readonly node: string;
  readonly incarnation: number;
  /** Progress reports closer together than this are dropped (the last one still goes out). */
  readonly progressIntervalMs: number;
  readonly onError?: (error: unknown, taskId: string) => void;
}

interface Running {
  readonly assignment: RunnerAssignment;
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

export interface Runner {
  /** Follows the fold: starts new assignments, aborts what must stop. Emits nothing. */
  readonly run$: Observable<never>;
  /** Load and draining, for this node's member znode. */
  readonly view$: Observable<{ readonly draining: boolean; readonly load: number }>;
  setDraining(draining: boolean): void;
  /** Stops taking work, aborts every running handler, waits for their reports. Idempotent. */
  stop(reason: string): Promise<void>;
}

/** A runner for one incarnation of `node`. */
export function createRunner(deps: RunnerDeps): Runner {
  const { log, view, handlers, scheduler, node, incarnation } = deps;
  const running = new Map<string, Running>();
  // Attempts this runner already took: one that just ended may still look assigned in the fold
  // until its report comes back, and must not run twice.
  const taken = new Set<string>();
  const load = new BehaviorSubject(0);
  const draining = new BehaviorSubject(false);
  let stopped = false;

  const report = async (assignment: RunnerAssignment, outcome: RunnerOutcome): Promise<void> => {
    const event = decideReport(assignment, outcome, scheduler.now());
    try {
      await log.append(runnerStream(node), [event], 'any');
    } catch (error) {
      // The attempt stays assigned in the log: the leader requeues it when this node is gone.
      deps.onError?.(error, assignment.taskId);
    }
  };

  const execute = async (
    assignment: RunnerAssignment,
    handler: TaskHandler | undefined,
    signal: AbortSignal,
  ) => {
    if (assignment.status === 'assigned') await report(assignment, { kind: 'started' });
    if (handler === undefined) {
      const message = `no handler for task type "${assignment.type}" on node ${node}`;
      return report(assignment, { kind: 'failed', error: { message, code: 'NO_HANDLER' }, retryable: false });
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
      const result = await handler.run(assignment.payload, {
        signal,
        progress,
        attempt: assignment.attempt,
        taskId: assignment.taskId,
      });
      if (signal.aborted) return; // the dispatcher already ended this attempt (cancel, deadline, reassign)
      await report(assignment, { kind: 'succeeded', result: toJson(result) });
    } catch (error) {
      if (signal.aborted && signal.reason !== 'shutdown') return;
      // A task stopped by this node's shutdown did nothing wrong: another node may run it again.
      const retryable =
        signal.reason === 'shutdown' || (error instanceof TaskFailure ? error.retryable : true);
      const message = error instanceof Error ? error.message : String(error);
      await report(assignment, { kind: 'failed', error: { message: message.slice(0, 4096) }, retryable });
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
    const done = execute(assignment, handlers.get(assignment.type), controller.signal).finally(() => {
      if (deadline) clearTimeout(deadline);
      running.delete(assignment.taskId);
      load.next(running.size);
    });
    running.set(assignment.taskId, { assignment, controller, done });
    load.next(running.size);
  };

  const follow = () => {
    if (stopped) return;
    const refs: AttemptRef[] = [...running.values()].map(({ assignment }) => ({
      taskId: assignment.taskId,
      attempt: assignment.attempt,
    }));
    const work = assignmentsFor(node, incarnation, view.current(), refs);
    for (const order of work.abort) running.get(order.taskId)?.controller.abort(order.reason);
    // Forget attempts the fold no longer gives this node: their reports came back.
    const assigned = new Set(work.assignments.map((a) => `${a.taskId}#${a.attempt}`));
    for (const key of taken) if (!assigned.has(key)) taken.delete(key);
    for (const assignment of work.assignments) {
      const key = `${assignment.taskId}#${assignment.attempt}`;
      if (running.has(assignment.taskId) || taken.has(key)) continue;
      taken.add(key);
      start(assignment);
    }
  };

  return {
    run$: view.state$.pipe(tap(follow), ignoreElements()),
    view$: combineLatest([draining, load]).pipe(
      map(([d, l]) => ({ draining: d, load: l })),
      distinctUntilChanged((a, b) => a.draining === b.draining && a.load === b.load),
    ),
    setDraining: (value) => draining.next(value),
    stop: async (reason) => {
      stopped = true;
      const all = [...running.values()];
      for (const r of all) r.controller.abort(reason);
      await Promise.allSettled(all.map((r) => r.done));
    },
  };
}

/** Handler results are stored in the log: keep what JSON can carry. */
function toJson(value: unknown): JsonValue | undefined {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(JSON.stringify(value)) as JsonValue;
  } catch {
    return String(value);
  }
}
