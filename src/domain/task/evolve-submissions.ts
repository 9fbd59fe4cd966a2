/**
 * Folding the `submissions` stream: new tasks, idempotency keys, cancel requests.
 *
 * Idempotency lives here, not in the API: two nodes may append the same key at the same time, and
 * only the log's order says which one came first. The later one creates nothing.
 */
import { TaskAnomalies, withAnomaly } from './anomalies.ts';
import type { TaskCancelRequested, TaskSubmitted } from './events.ts';
import { nextState } from './next-state.ts';
import { isFinished, isUnfinished, optional, type PendingTask, type Task, type TasksState } from './state.ts';
import { tableGet, tableSet } from './table.ts';
import { transition, withTask } from './transition.ts';

/** A new pending task at attempt 1, or a duplicate folded into the first task with the same key. */
export function onSubmitted(state: TasksState, event: TaskSubmitted): TasksState {
  const { data, meta } = event;
  const firstId =
    data.idempotencyKey === undefined ? undefined : tableGet(state.idempotencyKeys, data.idempotencyKey);
  // The same submission appended twice (an append retried after a timeout): nothing new.
  if (firstId === data.taskId) return nextState(state, { duplicateCount: state.duplicateCount + 1 });
  if (
    tableGet(state.tasks, data.taskId) !== undefined ||
    tableGet(state.duplicates, data.taskId) !== undefined
  ) {
    return withAnomaly(
      state,
      event,
      TaskAnomalies.duplicateTaskId,
      `task id ${data.taskId} was already submitted`,
    );
  }
  if (firstId !== undefined) return withDuplicate(state, data.taskId, firstId);
  const seq = state.submittedCount + 1;
  const task: PendingTask = {
    status: 'pending',
    taskId: data.taskId,
    type: data.type,
    payload: data.payload,
    maxAttempts: data.maxAttempts,
    backoff: data.backoff,
    seq,
    submittedAt: meta.at,
    attempt: 1,
    notBefore: meta.at,
    duplicateIds: [],
    ...optional('idempotencyKey', data.idempotencyKey),
    ...optional('timeoutMs', data.timeoutMs),
    ...optional('retentionMs', data.retentionMs),
  };
  const keys =
    data.idempotencyKey === undefined
      ? state.idempotencyKeys
      : tableSet(state.idempotencyKeys, data.idempotencyKey, data.taskId);
  return nextState(withTask(state, task, undefined), { idempotencyKeys: keys, submittedCount: seq });
}

function withDuplicate(state: TasksState, duplicateId: string, firstId: string): TasksState {
  const counted = nextState(state, { duplicateCount: state.duplicateCount + 1 });
  const first = tableGet(state.tasks, firstId);
  if (first === undefined) return counted;
  const withAlias: Task = { ...first, duplicateIds: [...first.duplicateIds, duplicateId] };
  return nextState(withTask(counted, withAlias, first), {
    duplicates: tableSet(state.duplicates, duplicateId, firstId),
  });
}

/** Marks a live task for cancellation; the dispatcher cancels it on its next tick. */
export function onCancelRequested(state: TasksState, event: TaskCancelRequested): TasksState {
  const { data, meta } = event;
  const requested = tableGet(state.tasks, data.taskId);
  if (requested !== undefined && !isFinished(requested) && requested.cancelRequest !== undefined)
    return state;
  // A request decided on a node whose fold lagged: the task ended first. A race, not a fault.
  if (requested !== undefined && isFinished(requested)) return state;
  return transition(
    state,
    event,
    { from: isUnfinished, needs: 'a finished task cannot be cancelled' },
    (task) => ({ ...task, cancelRequest: { at: meta.at, ...optional('reason', data.reason) } }),
  );
}
