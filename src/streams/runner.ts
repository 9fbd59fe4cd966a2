/**
 * The runner, on every node: takes this node's assignments from the fold of the task log, runs each
 * with its handler under an AbortSignal, and reports started / progress / succeeded / failed with the
 * attempt and epoch it was given. Cancellation, deadlines, reassignment and teardown abort handlers.
 *
 * Reports are group-committed: those made in the same turn of the event loop, and those made while
 * an append is in flight, go out together as the next append to `runner-<node>`, in the order they
 * were made (so a task's TaskStarted always precedes its end). One append is in flight at a time.
 * A handler starts without waiting for its TaskStarted to be written: a quick task's start and end
 * then share one append. The fold is followed once per turn of the event loop, not once per event.
 */
import { BehaviorSubject, combineLatest, type Observable, type SchedulerLike } from 'rxjs';
import { auditTime, distinctUntilChanged, ignoreElements, map, tap, throttleTime } from 'rxjs/operators';
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

  const reports = reportBatches(log, runnerStream(node), (error, event) =>
    // The attempt stays assigned in the log: the leader requeues it when this node is gone.
    deps.onError?.(error, event.data.taskId),
  );
  const report = (assignment: RunnerAssignment, outcome: RunnerOutcome): Promise<void> =>
    reports.add(decideReport(assignment, outcome, scheduler.now()));

  const execute = async (
    assignment: RunnerAssignment,
    handler: TaskHandler | undefined,
    signal: AbortSignal,
  ): Promise<void> => {
    // The handler does not wait for its TaskStarted to be written: the report is queued first, so it
    // precedes any later report of this attempt, and a quick task's start and end share one append.
    const started =
      assignment.status === 'assigned' ? report(assignment, { kind: 'started' }) : Promise.resolve();
    try {
      await runToEnd(assignment, handler, signal);
    } finally {
      await started;
    }
  };

  /** Runs the handler and reports how the attempt ended (nothing when the dispatcher ended it). */
  const runToEnd = async (
    assignment: RunnerAssignment,
    handler: TaskHandler | undefined,
    signal: AbortSignal,
  ): Promise<void> => {
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
    // Every fold event emits a state; following the latest once per turn costs the same and
    // spares a scan of every task per event.
    run$: view.state$.pipe(auditTime(0, scheduler), tap(follow), ignoreElements()),
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
    stop: async (reason) => {
      stopped = true;
      const all = [...running.values()];
      for (const r of all) r.controller.abort(reason);
      await Promise.allSettled(all.map((r) => r.done));
    },
  };
}

/** Events per append, and their bytes by the log's measure: well under every backend's batch limit. */
const MAX_BATCH_EVENTS = 1_000;
const MAX_BATCH_BYTES = 256 * 1024;

interface QueuedReport {
  readonly event: RunnerEvent;
  readonly bytes: number;
  readonly settle: () => void;
}

/**
 * Group commit of reports to one stream: `add` queues an event and resolves once the append that
 * carries it has settled (failures go to `onError`, per event). Appends run one at a time, in order.
 */
function reportBatches(
  log: EventLog,
  stream: string,
  onError: (error: unknown, event: RunnerEvent) => void,
): { add(event: RunnerEvent): Promise<void> } {
  let queue: QueuedReport[] = [];
  let flushing = false;

  const take = (): QueuedReport[] => {
    let bytes = 0;
    let count = 0;
    while (count < queue.length && count < MAX_BATCH_EVENTS) {
      bytes += (queue[count] as QueuedReport).bytes;
      if (count > 0 && bytes > MAX_BATCH_BYTES) break;
      count += 1;
    }
    const batch = queue.slice(0, count);
    queue = queue.slice(count);
    return batch;
  };

  const flush = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = take();
      try {
        await log.append(
          stream,
          batch.map((r) => r.event),
          'any',
        );
      } catch (error) {
        for (const r of batch) onError(error, r.event);
      }
      for (const r of batch) r.settle();
    }
    flushing = false;
  };

  return {
    add: (event) =>
      new Promise<void>((settle) => {
        queue.push({ event, bytes: Buffer.byteLength(JSON.stringify(event)), settle });
        if (flushing) return;
        flushing = true;
        // After this turn's microtasks: reports made by handlers that finish at once join the batch.
        setImmediate(() => void flush());
      }),
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
