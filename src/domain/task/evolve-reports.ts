/**
 * Folding `runner-<node>` streams. A report changes a task only when it names the task's current
 * assignment exactly (attempt, epoch, node, incarnation); anything else is a zombie write: a runner
 * that was paused, partitioned or replaced reporting on work that is no longer its own.
 */
import { assertNever } from '../event.ts';
import { TaskAnomalies, withAnomaly } from './anomalies.ts';
import type { RunnerEvent, RunnerRef, TaskError } from './events.ts';
import { type Assignment, isActive, optional, rebased, type Task, type TasksState } from './state.ts';
import { tableGet } from './table.ts';
import { describe, unknownTask, withTask } from './transition.ts';

/** Applies a runner's report to the task it names, if it is the current assignment. */
export function onReport(state: TasksState, event: RunnerEvent): TasksState {
  const { data, meta } = event;
  const task = tableGet(state.tasks, data.taskId);
  if (task === undefined) return unknownTask(state, event, data.taskId);
  if (!isActive(task) || !isSameAssignment(task.assignment, data)) {
    const from = `attempt ${data.attempt} on ${data.node} (incarnation ${data.incarnation}, epoch ${data.epoch})`;
    const message = `${event.type} for task ${task.taskId} from ${from}, but the task is ${describe(task)}`;
    return withAnomaly(state, event, TaskAnomalies.zombieWrite, message);
  }
  const startedAt = task.status === 'running' ? task.startedAt : meta.at;
  switch (event.type) {
    case 'TaskStarted':
      if (task.status === 'running') {
        const message = `TaskStarted for task ${task.taskId}: attempt ${task.attempt} is already running`;
        return withAnomaly(state, event, TaskAnomalies.invalidTransition, message);
      }
      return withTask(
        state,
        rebased(task, { status: 'running', assignment: task.assignment, startedAt }),
        task,
      );
    case 'TaskProgressed':
      return withTask(
        state,
        rebased(task, {
          status: 'running',
          assignment: task.assignment,
          startedAt,
          progress: event.data.progress,
          ...optional('message', event.data.message),
        }),
        task,
      );
    case 'TaskSucceeded':
      return withTask(
        state,
        rebased(task, {
          status: 'succeeded',
          finishedAt: meta.at,
          ...optional('result', event.data.result),
        }),
        task,
      );
    case 'TaskFailed':
      return withTask(state, afterFailure(task, event.data.error, event.data.retryable, meta.at), task);
    default:
      return assertNever(event);
  }
}

function afterFailure(task: Task, error: TaskError, retryable: boolean, at: number): Task {
  if (retryable && task.attempt < task.maxAttempts) {
    return rebased(task, { status: 'awaiting_retry', failedAt: at, lastError: error });
  }
  return rebased(task, { status: 'failed', finishedAt: at, lastError: error, exhausted: retryable });
}

/** Does a report name exactly this assignment? */
export function isSameAssignment(assignment: Assignment, ref: RunnerRef): boolean {
  return (
    assignment.attempt === ref.attempt &&
    assignment.epoch === ref.epoch &&
    assignment.node === ref.node &&
    assignment.incarnation === ref.incarnation
  );
}
