/**
 * The dispatcher's periodic pass over time-driven work: cancellations asked for, deadlines passed,
 * ended attempts to requeue, finished tasks past their retention. Fold its events before deciding
 * assignments, so that a task cancelled or requeued here is seen as such.
 */
import { assertNever } from '../event.ts';
import {
  type TaskCancelled,
  type TaskEvent,
  type TaskRetired,
  type TaskTimedOut,
  taskEvent,
} from './events.ts';
import { isCurrentLeader, type LeaderContext, leaderMeta } from './leader-context.ts';
import { TaskDefaults } from './policy.ts';
import { decideRetry } from './retry.ts';
import { optional, type Task, type TasksState } from './state.ts';
import { tableGet, tableValues } from './table.ts';

export interface TickInput extends LeaderContext {
  /** A number in [0, 1) for the backoff jitter. */
  readonly jitter: number;
  /** Retention of finished tasks whose submission did not set one. */
  readonly defaultRetentionMs?: number;
}

/** What is due now, oldest task first; nothing when this leader's term is not the latest. */
export function decideTick(input: TickInput, state: TasksState): TaskEvent[] {
  if (!isCurrentLeader(input, state)) return [];
  const due: { seq: number; event: TaskEvent }[] = [];
  const consider = (task: Task): void => {
    const event = dueFor(task, input);
    if (event !== undefined) due.push({ seq: task.seq, event });
  };
  // Only what can be due: a pending task only by a cancel request (assignment is not the tick's).
  const { indexes } = state;
  for (const task of tableValues(indexes.active)) consider(task);
  for (const task of tableValues(indexes.retryable)) consider(task);
  for (const task of tableValues(indexes.cancelRequested)) if (task.status === 'pending') consider(task);
  const retentionMs = input.defaultRetentionMs ?? TaskDefaults.retentionMs;
  for (const taskId of indexes.retirable(input.now, retentionMs)) {
    const task = tableGet(state.tasks, taskId);
    if (task !== undefined) consider(task);
  }
  return due.sort((a, b) => a.seq - b.seq).map(({ event }) => event);
}

function dueFor(task: Task, input: TickInput): TaskEvent | undefined {
  const { taskId, attempt } = task;
  const epoch = input.epoch;
  switch (task.status) {
    case 'pending':
    case 'assigned':
    case 'running':
      if (task.cancelRequest !== undefined) {
        const data = { taskId, attempt, epoch, ...optional('reason', task.cancelRequest.reason) };
        return taskEvent<TaskCancelled>('TaskCancelled', data, leaderMeta(input));
      }
      if (
        task.status !== 'pending' &&
        task.assignment.deadline !== undefined &&
        task.assignment.deadline <= input.now
      ) {
        return taskEvent<TaskTimedOut>('TaskTimedOut', { taskId, attempt, epoch }, leaderMeta(input));
      }
      return undefined;
    case 'interrupted':
      return decideRetry(task, task.reason, input, input.jitter);
    case 'awaiting_retry':
      return decideRetry(task, task.lastError.message, input, input.jitter);
    case 'succeeded':
    case 'failed':
    case 'cancelled':
    case 'timed_out': {
      const retentionMs = task.retentionMs ?? input.defaultRetentionMs ?? TaskDefaults.retentionMs;
      if (task.finishedAt + retentionMs > input.now) return undefined;
      return taskEvent<TaskRetired>('TaskRetired', { taskId, epoch }, leaderMeta(input));
    }
    default:
      return assertNever(task);
  }
}
