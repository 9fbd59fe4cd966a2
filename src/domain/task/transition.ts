/**
 * The one shape of a task transition in `evolve`: find the task, check that the event fits its status
 * and attempt, build its next value. Whatever does not fit becomes an anomaly, never an exception.
 */
import { TaskAnomalies, withAnomaly } from './anomalies.ts';
import type { TaskEvent } from './events.ts';
import { nextState } from './next-state.ts';
import type { Task, TasksState } from './state.ts';
import { tableDelete, tableGet, tableSet } from './table.ts';

export interface TransitionRule<T extends Task> {
  /** The statuses the event applies to. */
  readonly from: (task: Task) => task is T;
  /** The attempt the event names, when it must be the task's current one. */
  readonly attempt?: number;
  /** Why the event needs that status, for the anomaly when it does not hold. */
  readonly needs: string;
}

/** Applies `next` to the task named by the event when `rule` holds; records why not otherwise. */
export function transition<T extends Task>(
  state: TasksState,
  event: TaskEvent & { readonly data: { readonly taskId: string } },
  rule: TransitionRule<T>,
  next: (task: T) => Task,
): TasksState {
  const task = tableGet(state.tasks, event.data.taskId);
  if (task === undefined) return unknownTask(state, event, event.data.taskId);
  if (!rule.from(task) || (rule.attempt !== undefined && rule.attempt !== task.attempt)) {
    const attempt = rule.attempt === undefined ? '' : ` attempt ${rule.attempt}`;
    return withAnomaly(
      state,
      event,
      TaskAnomalies.invalidTransition,
      `${event.type} for task ${task.taskId}${attempt}: the task is ${describe(task)}; ${rule.needs}`,
    );
  }
  return withTask(state, next(task), task);
}

/** The state with `task` stored under its id in place of `previous` (undefined: a new task), and indexed. */
export function withTask(state: TasksState, task: Task, previous: Task | undefined): TasksState {
  const tasks = tableSet(state.tasks, task.taskId, task);
  return nextState(state, { tasks, indexes: state.indexes.reindexed(tasks, previous, task) });
}

/** The state without the task `task` (retired): gone from `tasks` and from every index. */
export function withoutTask(state: TasksState, task: Task): TasksState {
  const tasks = tableDelete(state.tasks, task.taskId);
  return nextState(state, { tasks, indexes: state.indexes.reindexed(tasks, task, undefined) });
}

/** Records an event about a task the state does not hold (never submitted, or already retired). */
export function unknownTask(state: TasksState, event: TaskEvent, taskId: string): TasksState {
  return withAnomaly(state, event, TaskAnomalies.unknownTask, `${event.type}: no live task ${taskId}`);
}

/** "running attempt 2 on n1 (incarnation 3, epoch 7)", for anomaly messages. */
export function describe(task: Task): string {
  const where =
    task.status === 'assigned' || task.status === 'running'
      ? ` on ${task.assignment.node} (incarnation ${task.assignment.incarnation}, epoch ${task.assignment.epoch})`
      : '';
  return `${task.status} at attempt ${task.attempt}${where}`;
}
