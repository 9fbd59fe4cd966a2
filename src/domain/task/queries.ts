/**
 * Reads of the task state, for the HTTP API and the decisions. Ordered by submission (oldest first),
 * which is the log's own order and the same on every node.
 */
import type { Task, TaskStatus, TasksState } from './state.ts';
import { tableGet, tableValues } from './table.ts';

/** Every live task, oldest submission first. */
export function tasksInOrder(state: TasksState): Task[] {
  return tasksWhere(state, (task): task is Task => true);
}

/** The live tasks that pass `test`, oldest submission first (filtered before sorting: most tasks do not pass). */
export function tasksWhere<T extends Task>(state: TasksState, test: (task: Task) => task is T): T[] {
  const found: T[] = [];
  for (const task of tableValues(state.tasks)) if (test(task)) found.push(task);
  return found.sort((a, b) => a.seq - b.seq);
}

/** The live task with this id; a duplicate submission's id answers with the task it was folded into. */
export function getTask(state: TasksState, taskId: string): Task | undefined {
  return tableGet(state.tasks, resolveTaskId(state, taskId));
}

/** The id that holds the task: itself, or the first task when `taskId` was a duplicate submission. */
export function resolveTaskId(state: TasksState, taskId: string): string {
  if (tableGet(state.tasks, taskId) !== undefined) return taskId;
  return tableGet(state.duplicates, taskId) ?? taskId;
}

/** The live task first submitted with this idempotency key. */
export function findByIdempotencyKey(state: TasksState, key: string): Task | undefined {
  const taskId = tableGet(state.idempotencyKeys, key);
  return taskId === undefined ? undefined : tableGet(state.tasks, taskId);
}

export interface TaskFilter {
  readonly status?: TaskStatus | readonly TaskStatus[];
  /** Tasks whose latest assignment is on this node. */
  readonly node?: string;
  /** Only tasks submitted after this one (its seq): a cursor for the next page. */
  readonly afterSeq?: number;
  readonly limit?: number;
}

/** Live tasks matching `filter`, oldest first, at most `limit`. */
export function listTasks(state: TasksState, filter: TaskFilter = {}): Task[] {
  const statuses = filter.status === undefined ? undefined : new Set([filter.status].flat());
  const matches = (task: Task): task is Task =>
    (statuses === undefined || statuses.has(task.status)) &&
    (filter.node === undefined || task.assignment?.node === filter.node) &&
    (filter.afterSeq === undefined || task.seq > filter.afterSeq);
  return tasksWhere(state, matches).slice(0, filter.limit);
}

export type TaskCounts = Readonly<Record<TaskStatus, number>> & { readonly retired: number };

/** How many live tasks are in each status, and how many retired. */
export function countByStatus(state: TasksState): TaskCounts {
  return { ...state.indexes.counts, retired: state.retiredCount };
}
