/**
 * Builders of task events and members for the task-domain tests: short to read, explicit where it
 * matters (task, attempt, epoch, node, incarnation), defaults everywhere else.
 */
import type { MembersView, MemberView } from '../../../src/domain/members.ts';
import {
  type EpochStarted,
  type LeaderContext,
  type RunnerRef,
  type TaskAssigned,
  type TaskAttemptsExhausted,
  type TaskCancelled,
  type TaskCancelRequested,
  type TaskError,
  type TaskFailed,
  type TaskInterrupted,
  type TaskProgressed,
  type TaskRequeued,
  type TaskRetired,
  type TaskStarted,
  type TaskSubmitted,
  type TaskSubmittedData,
  type TaskSucceeded,
  type TaskTimedOut,
  taskEvent,
} from '../../../src/domain/task/index.ts';

/** A fixed "now" so that times in tests read as offsets: T0 + 5_000. */
export const T0 = 1_700_000_000_000;

/** The leader of epoch 1 in most tests. */
export const LEADER: LeaderContext = { now: T0, epoch: 1, leader: 'n0', incarnation: 1 };

const api = (at: number) => ({ node: 'api-node', incarnation: 1, at });
const dispatcher = (epoch: number, at: number) => ({ node: 'n0', incarnation: 1, epoch, at });

export function submitted(taskId: string, data: Partial<TaskSubmittedData> = {}, at = T0): TaskSubmitted {
  return taskEvent<TaskSubmitted>(
    'TaskSubmitted',
    {
      taskId,
      type: 'noop',
      payload: null,
      maxAttempts: 3,
      backoff: { initialMs: 1_000, multiplier: 2, maxMs: 60_000 },
      ...data,
    },
    api(at),
  );
}

export function cancelRequested(taskId: string, reason?: string, at = T0): TaskCancelRequested {
  return taskEvent<TaskCancelRequested>(
    'TaskCancelRequested',
    reason === undefined ? { taskId } : { taskId, reason },
    api(at),
  );
}

export function epochStarted(epoch: number, leader = 'n0', incarnation = 1, at = T0): EpochStarted {
  return taskEvent<EpochStarted>(
    'EpochStarted',
    { epoch, leader, incarnation },
    { node: leader, incarnation, epoch, at },
  );
}

/** Where an attempt runs; defaults: attempt 1, epoch 1, node n1, incarnation 1. */
export function ref(taskId: string, at: Partial<Omit<RunnerRef, 'taskId'>> = {}): RunnerRef {
  return { taskId, attempt: 1, epoch: 1, node: 'n1', incarnation: 1, ...at };
}

export function assigned(
  taskId: string,
  where: Partial<Omit<RunnerRef, 'taskId'>> & { deadline?: number } = {},
  at = T0,
): TaskAssigned {
  const data = {
    ...ref(taskId, where),
    ...(where.deadline === undefined ? {} : { deadline: where.deadline }),
  };
  return taskEvent<TaskAssigned>('TaskAssigned', data, dispatcher(data.epoch, at));
}

const runner = (r: RunnerRef, at: number) => ({
  node: r.node,
  incarnation: r.incarnation,
  epoch: r.epoch,
  at,
});

export function started(r: RunnerRef, at = T0): TaskStarted {
  return taskEvent<TaskStarted>('TaskStarted', r, runner(r, at));
}

export function progressed(r: RunnerRef, progress: number, message?: string, at = T0): TaskProgressed {
  const data = { ...r, progress, ...(message === undefined ? {} : { message }) };
  return taskEvent<TaskProgressed>('TaskProgressed', data, runner(r, at));
}

export function succeeded(r: RunnerRef, result?: TaskSucceeded['data']['result'], at = T0): TaskSucceeded {
  return taskEvent<TaskSucceeded>(
    'TaskSucceeded',
    { ...r, ...(result === undefined ? {} : { result }) },
    runner(r, at),
  );
}

export function failed(
  r: RunnerRef,
  retryable: boolean,
  error: TaskError = { message: 'boom' },
  at = T0,
): TaskFailed {
  return taskEvent<TaskFailed>('TaskFailed', { ...r, error, retryable }, runner(r, at));
}

export function interrupted(
  taskId: string,
  attempt: number,
  reason: string,
  epoch = 1,
  at = T0,
): TaskInterrupted {
  return taskEvent<TaskInterrupted>(
    'TaskInterrupted',
    { taskId, attempt, epoch, reason },
    dispatcher(epoch, at),
  );
}

export function requeued(
  taskId: string,
  attempt: number,
  notBefore: number,
  epoch = 1,
  at = T0,
): TaskRequeued {
  return taskEvent<TaskRequeued>(
    'TaskRequeued',
    { taskId, attempt, epoch, notBefore },
    dispatcher(epoch, at),
  );
}

export function timedOut(taskId: string, attempt: number, epoch = 1, at = T0): TaskTimedOut {
  return taskEvent<TaskTimedOut>('TaskTimedOut', { taskId, attempt, epoch }, dispatcher(epoch, at));
}

export function cancelled(
  taskId: string,
  attempt: number,
  epoch = 1,
  at = T0,
  reason?: string,
): TaskCancelled {
  const data = { taskId, attempt, epoch, ...(reason === undefined ? {} : { reason }) };
  return taskEvent<TaskCancelled>('TaskCancelled', data, dispatcher(epoch, at));
}

export function exhausted(
  taskId: string,
  attempt: number,
  reason: string,
  epoch = 1,
  at = T0,
): TaskAttemptsExhausted {
  return taskEvent<TaskAttemptsExhausted>(
    'TaskAttemptsExhausted',
    { taskId, attempt, epoch, reason },
    dispatcher(epoch, at),
  );
}

export function retired(taskId: string, epoch = 1, at = T0): TaskRetired {
  return taskEvent<TaskRetired>('TaskRetired', { taskId, epoch }, dispatcher(epoch, at));
}

/** A live member; defaults: incarnation 1, capacity 2, healthy, not draining. */
export function member(node: string, view: Partial<Omit<MemberView, 'node'>> = {}): MemberView {
  return {
    node,
    incarnation: 1,
    address: `${node}:7070`,
    priority: 0,
    health: 'healthy',
    draining: false,
    capacity: 2,
    load: 0,
    ...view,
  };
}

export function membersOf(...views: MemberView[]): MembersView {
  return Object.fromEntries(views.map((view) => [view.node, view]));
}
