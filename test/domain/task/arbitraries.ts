/**
 * fast-check arbitraries of plausible task-log histories: submissions, epochs, assignments and reports
 * whose attempt/epoch/node/incarnation are either the current ones or a little off (stale), interrupts,
 * requeues, timeouts, cancellations, retirements. Each step is turned into an event against the state
 * folded so far, so that a good share of events apply and the rest exercise the fences.
 */
import fc from 'fast-check';
import {
  evolve,
  getTask,
  initialState,
  type RunnerRef,
  type Task,
  type TaskEvent,
  type TasksState,
} from '../../../src/domain/task/index.ts';
import {
  assigned,
  cancelled,
  cancelRequested,
  epochStarted,
  exhausted,
  failed,
  interrupted,
  progressed,
  requeued,
  retired,
  started,
  submitted,
  succeeded,
  T0,
  timedOut,
} from './fixtures.ts';

export const TASK_IDS = ['t1', 't2', 't3', 't4'];
export const NODES = ['n1', 'n2', 'n3'];

const KINDS = [
  'submit',
  'submit',
  'epoch',
  'assign',
  'assign',
  'report',
  'report',
  'report',
  'interrupt',
  'requeue',
  'timeout',
  'cancelRequest',
  'cancel',
  'exhaust',
  'retire',
] as const;

export interface Step {
  readonly kind: (typeof KINDS)[number];
  readonly task: number;
  readonly node: number;
  /** Use the current attempt/epoch/assignment, or nudge one of them off by `skew`. */
  readonly fresh: boolean;
  readonly skew: number;
  readonly pick: number;
  readonly dt: number;
}

export const stepArb: fc.Arbitrary<Step> = fc.record({
  kind: fc.constantFrom(...KINDS),
  task: fc.nat({ max: TASK_IDS.length - 1 }),
  node: fc.nat({ max: NODES.length - 1 }),
  fresh: fc.nat({ max: 3 }).map((n) => n !== 0),
  skew: fc.constantFrom(-1, 1, 2),
  pick: fc.nat({ max: 11 }),
  dt: fc.nat({ max: 5_000 }),
});

/** A history of 0..max events built from random steps. */
export function historyArb(max = 60): fc.Arbitrary<TaskEvent[]> {
  return fc.array(stepArb, { maxLength: max, size: 'max' }).map(buildHistory);
}

/** Turns steps into events, each against the state folded from the ones before it. */
export function buildHistory(steps: readonly Step[]): TaskEvent[] {
  let state = initialState();
  let now = T0;
  const events: TaskEvent[] = [];
  for (const step of steps) {
    now += step.dt;
    const event = eventFor(step, state, now);
    events.push(event);
    state = evolve(state, event);
  }
  return events;
}

function eventFor(step: Step, state: TasksState, now: number): TaskEvent {
  const named = TASK_IDS[step.task] ?? 't1';
  const node = NODES[step.node] ?? 'n1';
  const task = getTask(state, named);
  // A duplicate submission's id resolves to the first task: decisions name that one.
  const taskId = task?.taskId ?? named;
  // A fresh step about a task does what its lifecycle expects next; a stale one does anything.
  const kind =
    step.fresh && !['submit', 'epoch', 'cancelRequest'].includes(step.kind)
      ? nextKind(task, step.pick)
      : step.kind;
  const off = (value: number) =>
    step.fresh ? value : Math.max(step.kind === 'epoch' ? 0 : 1, value + step.skew);
  const attempt = off(task?.attempt ?? 1);
  const epoch = step.fresh ? state.epoch : Math.max(0, state.epoch + step.skew);
  switch (kind) {
    case 'submit':
      // Mostly the ids other steps name; sometimes another id, to meet an idempotency key already seen.
      return submitted(
        step.pick < 9 ? named : `${named}-${step.pick}`,
        {
          maxAttempts: 1 + (step.pick % 3),
          ...(step.pick % 3 === 0 ? { idempotencyKey: `key-${step.node}` } : {}),
          ...(step.pick % 2 === 0 ? { timeoutMs: 1 + step.dt } : {}),
          ...(step.pick % 5 === 0 ? { retentionMs: step.dt } : {}),
        },
        now,
      );
    case 'epoch':
      return epochStarted(
        Math.max(0, state.epoch + (step.fresh ? 1 : step.skew - 1)),
        node,
        1 + (step.pick % 2),
        now,
      );
    case 'assign':
      return assigned(
        taskId,
        { attempt, epoch, node, incarnation: 1 + (step.pick % 2), deadline: now + step.dt },
        now,
      );
    case 'report':
      return reportFor(step, runnerRef(step, taskId, state, node), now);
    case 'interrupt':
      return interrupted(taskId, attempt, 'runner lost', epoch, now);
    case 'requeue':
      return requeued(taskId, attempt + 1, now + step.dt, epoch, now);
    case 'timeout':
      return timedOut(taskId, attempt, epoch, now);
    case 'cancelRequest':
      return cancelRequested(taskId, step.pick % 2 === 0 ? 'why' : undefined, now);
    case 'cancel':
      return cancelled(taskId, attempt, epoch, now);
    case 'exhaust':
      return exhausted(taskId, attempt, 'spent', epoch, now);
    case 'retire':
      return retired(taskId, epoch, now);
  }
}

function nextKind(task: Task | undefined, pick: number): Step['kind'] {
  if (task === undefined) return 'submit';
  switch (task.status) {
    case 'pending':
      return 'assign';
    case 'assigned':
    case 'running':
      return pick < 8 ? 'report' : pick < 10 ? 'interrupt' : pick < 11 ? 'timeout' : 'cancel';
    case 'interrupted':
    case 'awaiting_retry':
      return task.attempt < task.maxAttempts ? 'requeue' : 'exhaust';
    case 'succeeded':
    case 'failed':
    case 'cancelled':
    case 'timed_out':
      return pick < 4 ? 'retire' : 'submit';
  }
}

/** The current assignment of the task when fresh, else one with a field nudged off. */
function runnerRef(step: Step, taskId: string, state: TasksState, node: string): RunnerRef {
  const task = getTask(state, taskId);
  const a = task?.assignment;
  const current: RunnerRef = a
    ? { taskId, attempt: a.attempt, epoch: a.epoch, node: a.node, incarnation: a.incarnation }
    : { taskId, attempt: 1, epoch: state.epoch, node, incarnation: 1 };
  if (step.fresh) return current;
  switch (step.pick % 4) {
    case 0:
      return { ...current, attempt: Math.max(1, current.attempt + step.skew) };
    case 1:
      return { ...current, epoch: Math.max(0, current.epoch + step.skew) };
    case 2:
      return { ...current, node: current.node === node ? `${node}x` : node };
    default:
      return { ...current, incarnation: Math.max(0, current.incarnation + step.skew) };
  }
}

function reportFor(step: Step, ref: RunnerRef, now: number): TaskEvent {
  switch (step.pick % 4) {
    case 0:
      return started(ref, now);
    case 1:
      return progressed(ref, (step.dt % 101) / 100, undefined, now);
    case 2:
      return succeeded(ref, step.dt, now);
    default:
      return failed(ref, step.node !== 0, { message: 'boom' }, now);
  }
}
