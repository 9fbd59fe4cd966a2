/**
 * Folding the `dispatch` stream: epochs and the leader's decisions about tasks.
 * The epoch fence is checked before any of these run (see evolve.ts).
 */
import { TaskAnomalies, withAnomaly } from './anomalies.ts';
import type {
  EpochStarted,
  TaskAssigned,
  TaskAttemptsExhausted,
  TaskCancelled,
  TaskInterrupted,
  TaskRequeued,
  TaskRetired,
  TaskTimedOut,
} from './events.ts';
import { nextState } from './next-state.ts';
import {
  isActive,
  isFinished,
  isRetryable,
  isUnfinished,
  optional,
  type PendingTask,
  rebased,
  type TasksState,
} from './state.ts';
import { tableDelete, tableGet } from './table.ts';
import { transition, unknownTask, withoutTask } from './transition.ts';

/** A new leadership term; epochs only grow. */
export function onEpochStarted(state: TasksState, event: EpochStarted): TasksState {
  const { epoch, leader, incarnation } = event.data;
  if (epoch <= state.epoch) {
    const message = `EpochStarted ${epoch} by ${leader} does not grow the epoch (already ${state.epoch})`;
    return withAnomaly(state, event, TaskAnomalies.epochNotIncreasing, message);
  }
  return nextState(state, { epoch, leader: { node: leader, incarnation, since: event.meta.at } });
}

/** pending → assigned, for the attempt the task waits to run. */
export function onAssigned(state: TasksState, event: TaskAssigned): TasksState {
  const { data, meta } = event;
  const rule = { from: isPending, attempt: data.attempt, needs: 'only a pending attempt can be assigned' };
  return transition(state, event, rule, (task) =>
    rebased(task, {
      status: 'assigned',
      assignment: {
        attempt: data.attempt,
        epoch: data.epoch,
        node: data.node,
        incarnation: data.incarnation,
        assignedAt: meta.at,
        ...optional('deadline', data.deadline),
      },
    }),
  );
}

/** assigned | running → interrupted: its runner is gone. */
export function onInterrupted(state: TasksState, event: TaskInterrupted): TasksState {
  const rule = {
    from: isActive,
    attempt: event.data.attempt,
    needs: 'only a current attempt can be interrupted',
  };
  return transition(state, event, rule, (task) =>
    rebased(task, {
      status: 'interrupted',
      interruptedAt: event.meta.at,
      reason: event.data.reason,
    }),
  );
}

/** interrupted | awaiting_retry → pending with the next attempt. */
export function onRequeued(state: TasksState, event: TaskRequeued): TasksState {
  const { attempt, notBefore } = event.data;
  const task = tableGet(state.tasks, event.data.taskId);
  const rule = {
    from: isRetryable,
    attempt: attempt - 1,
    needs: 'a requeue names the next attempt of an interrupted or failed one',
  };
  if (task !== undefined && isRetryable(task) && attempt > task.maxAttempts) {
    const message = `TaskRequeued for task ${task.taskId}: attempt ${attempt} exceeds maxAttempts ${task.maxAttempts}`;
    return withAnomaly(state, event, TaskAnomalies.invalidTransition, message);
  }
  return transition(
    state,
    event,
    rule,
    (previous): PendingTask =>
      rebased(previous, {
        status: 'pending',
        attempt,
        notBefore,
      }),
  );
}

/** assigned | running → timed_out (final): the runner sees it and aborts. */
export function onTimedOut(state: TasksState, event: TaskTimedOut): TasksState {
  const rule = { from: isActive, attempt: event.data.attempt, needs: 'only a current attempt can time out' };
  return transition(state, event, rule, (task) =>
    rebased(task, {
      status: 'timed_out',
      finishedAt: event.meta.at,
    }),
  );
}

/** Any unfinished status → cancelled (final). */
export function onCancelled(state: TasksState, event: TaskCancelled): TasksState {
  const rule = {
    from: isUnfinished,
    attempt: event.data.attempt,
    needs: 'only an unfinished task can be cancelled',
  };
  return transition(state, event, rule, (task) =>
    rebased(task, {
      status: 'cancelled',
      finishedAt: event.meta.at,
      ...optional('reason', event.data.reason ?? task.cancelRequest?.reason),
    }),
  );
}

/** interrupted | awaiting_retry → failed (final), when no attempt is left. */
export function onAttemptsExhausted(state: TasksState, event: TaskAttemptsExhausted): TasksState {
  const task = tableGet(state.tasks, event.data.taskId);
  if (task !== undefined && isRetryable(task) && task.attempt < task.maxAttempts) {
    const message = `TaskAttemptsExhausted for task ${task.taskId}: attempt ${task.attempt} of ${task.maxAttempts}, attempts remain`;
    return withAnomaly(state, event, TaskAnomalies.invalidTransition, message);
  }
  const rule = {
    from: isRetryable,
    attempt: event.data.attempt,
    needs: 'only an ended attempt can exhaust a task',
  };
  return transition(state, event, rule, (previous) =>
    rebased(previous, {
      status: 'failed',
      finishedAt: event.meta.at,
      lastError: { message: event.data.reason, code: 'ATTEMPTS_EXHAUSTED' },
      exhausted: true,
    }),
  );
}

/** A finished task leaves the live map (and frees its idempotency key); only a count remains. */
export function onRetired(state: TasksState, event: TaskRetired): TasksState {
  const task = tableGet(state.tasks, event.data.taskId);
  if (task === undefined) return unknownTask(state, event, event.data.taskId);
  if (!isFinished(task)) {
    const message = `TaskRetired for task ${task.taskId}: the task is ${task.status}; only a finished task retires`;
    return withAnomaly(state, event, TaskAnomalies.invalidTransition, message);
  }
  const key = task.idempotencyKey;
  const keys =
    key !== undefined && tableGet(state.idempotencyKeys, key) === task.taskId
      ? tableDelete(state.idempotencyKeys, key)
      : state.idempotencyKeys;
  const duplicates = task.duplicateIds.reduce(tableDelete<string>, state.duplicates);
  return nextState(withoutTask(state, task), {
    idempotencyKeys: keys,
    duplicates,
    retiredCount: state.retiredCount + 1,
  });
}

function isPending(task: { readonly status: string }): task is PendingTask {
  return task.status === 'pending';
}
