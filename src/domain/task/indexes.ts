/**
 * Indexes of the task state by what the decisions look for, kept by the fold beside `tasks`.
 *
 * Why: the scheduler wants the oldest pending tasks, a runner its active ones, the tick what may be
 * due (active, ended attempts, cancel requests, finished tasks past their retention), the API counts
 * by status. Scanning every live task for each would cost every decision O(live tasks), and finished
 * tasks stay live for their retention (a day by default): the leader would scan thousands of done
 * tasks many times a second. `reindexed` is the one place that moves a task between indexes, and a
 * property test checks that they always agree with `tasks`.
 *
 * The indexes are derived from `tasks` alone, so they are not part of the state's value: private
 * fields keep them out of its JSON, its checkpoint hash and deep equality (a checkpoint then hashes
 * each task once, not once per index). Read them through the getters. They are built on first read
 * and kept up to date by every later event from then on: a replay that decides nothing (taskd
 * replay) never pays for them, a live node pays once.
 */
import { assertNever } from '../event.ts';
import {
  emptySortedList,
  type SortedEntry,
  type SortedList,
  sortedDelete,
  sortedEntries,
  sortedInsert,
} from './sorted-list.ts';
import type { ActiveTask, PendingTask, RetryableTask, Task, TaskStatus, UnfinishedTask } from './state.ts';
import { emptyTable, type Table, tableDelete, tableGet, tableSet, tableValues } from './table.ts';

interface IndexParts {
  readonly pending: Table<PendingTask>;
  readonly pendingOrder: SortedList;
  readonly active: Table<ActiveTask>;
  readonly retryable: Table<RetryableTask>;
  readonly retiring: SortedList;
  readonly retiringOwn: SortedList;
  readonly cancelRequested: Table<UnfinishedTask>;
  readonly counts: Readonly<Record<TaskStatus, number>>;
}

export class TaskIndexes {
  /** Undefined until first read: a replay that decides nothing never builds them. */
  #parts: IndexParts | undefined;
  readonly #tasks: Table<Task>;

  private constructor(parts: IndexParts | undefined, tasks: Table<Task>) {
    this.#parts = parts;
    this.#tasks = tasks;
  }

  /** The indexes of `tasks`, to be built when first read. */
  static of(tasks: Table<Task>): TaskIndexes {
    return new TaskIndexes(undefined, tasks);
  }

  /** Pending tasks by id. */
  get pending(): Table<PendingTask> {
    return this.#built().pending;
  }
  /** Assigned or running: they hold a runner's slot. */
  get active(): Table<ActiveTask> {
    return this.#built().active;
  }
  /** Interrupted or awaiting retry: the dispatcher requeues them or gives up. */
  get retryable(): Table<RetryableTask> {
    return this.#built().retryable;
  }
  /** Unfinished tasks someone asked to cancel: the dispatcher cancels them on its next tick. */
  get cancelRequested(): Table<UnfinishedTask> {
    return this.#built().cancelRequested;
  }
  /** How many live tasks are in each status. */
  get counts(): Readonly<Record<TaskStatus, number>> {
    return this.#built().counts;
  }

  /** Pending tasks, oldest submission (lowest seq) first. */
  *pendingOldestFirst(): Generator<PendingTask> {
    const parts = this.#built();
    for (const entry of sortedEntries(parts.pendingOrder)) {
      const task = tableGet(parts.pending, entry.taskId);
      if (task !== undefined) yield task;
    }
  }

  /** Ids of finished tasks whose retention ended at or before `now`, soonest due first. */
  *retirable(now: number, defaultRetentionMs: number): Generator<string> {
    const parts = this.#built();
    // Without a retention of their own, tasks retire in the order they finished.
    for (const entry of sortedEntries(parts.retiring)) {
      if (entry.key + defaultRetentionMs > now) break;
      yield entry.taskId;
    }
    // With one, keyed by when it ends.
    for (const entry of sortedEntries(parts.retiringOwn)) {
      if (entry.key > now) break;
      yield entry.taskId;
    }
  }

  /** Every finished task's id, in no particular order. */
  *finishedIds(): Generator<string> {
    const parts = this.#built();
    for (const entry of sortedEntries(parts.retiring)) yield entry.taskId;
    for (const entry of sortedEntries(parts.retiringOwn)) yield entry.taskId;
  }

  /**
   * The indexes of `tasks`, once the task `previous` (undefined: new) became `next` (undefined:
   * retired): updated in place of a copy when these are built, left to be built when first read
   * otherwise.
   */
  reindexed(tasks: Table<Task>, previous: Task | undefined, next: Task | undefined): TaskIndexes {
    return new TaskIndexes(
      this.#parts === undefined ? undefined : reindexedParts(this.#parts, previous, next),
      tasks,
    );
  }

  /** Builds them from the tasks on first read (a cache of a pure function: nothing else changes). */
  #built(): IndexParts {
    if (this.#parts === undefined) {
      let parts = emptyParts();
      for (const task of tableValues(this.#tasks)) parts = reindexedParts(parts, undefined, task);
      this.#parts = parts;
    }
    return this.#parts;
  }
}

/** The parts once the task `previous` (undefined: new) became `next` (undefined: retired). */
function reindexedParts(parts: IndexParts, previous: Task | undefined, next: Task | undefined): IndexParts {
  let { pending, pendingOrder, active, retryable, retiring, retiringOwn, cancelRequested, counts } = parts;
  if (previous !== undefined) {
    const { taskId, seq } = previous;
    switch (previous.status) {
      case 'pending':
        // Kept when the task stays pending: the order holds ids, and the seq does not change.
        if (next?.status !== 'pending') {
          pending = tableDelete(pending, taskId);
          pendingOrder = sortedDelete(pendingOrder, seq, seq);
        }
        break;
      case 'assigned':
      case 'running':
        if (next?.status !== 'assigned' && next?.status !== 'running') active = tableDelete(active, taskId);
        break;
      case 'interrupted':
      case 'awaiting_retry':
        if (next?.status !== 'interrupted' && next?.status !== 'awaiting_retry')
          retryable = tableDelete(retryable, taskId);
        break;
      case 'succeeded':
      case 'failed':
      case 'cancelled':
      case 'timed_out':
        // A finished task changes no more (only duplicates may be added): its entry stays valid.
        if (next !== undefined && isFinishedStatus(next.status)) break;
        if (previous.retentionMs === undefined) retiring = sortedDelete(retiring, previous.finishedAt, seq);
        else retiringOwn = sortedDelete(retiringOwn, previous.finishedAt + previous.retentionMs, seq);
        break;
      default:
        assertNever(previous);
    }
    if (wantsCancel(previous) && (next === undefined || !wantsCancel(next)))
      cancelRequested = tableDelete(cancelRequested, taskId);
  }
  if (next !== undefined) {
    const { taskId, seq } = next;
    switch (next.status) {
      case 'pending':
        if (previous?.status !== 'pending') pendingOrder = sortedInsert(pendingOrder, entry(seq, next));
        pending = tableSet(pending, taskId, next);
        break;
      case 'assigned':
      case 'running':
        active = tableSet(active, taskId, next);
        break;
      case 'interrupted':
      case 'awaiting_retry':
        retryable = tableSet(retryable, taskId, next);
        break;
      case 'succeeded':
      case 'failed':
      case 'cancelled':
      case 'timed_out':
        if (previous !== undefined && isFinishedStatus(previous.status)) break;
        if (next.retentionMs === undefined) retiring = sortedInsert(retiring, entry(next.finishedAt, next));
        else retiringOwn = sortedInsert(retiringOwn, entry(next.finishedAt + next.retentionMs, next));
        break;
      default:
        assertNever(next);
    }
    if (wantsCancel(next)) cancelRequested = tableSet(cancelRequested, taskId, next as UnfinishedTask);
  }
  if (previous?.status !== next?.status) {
    const changed = copyOfCounts(counts);
    if (previous !== undefined) changed[previous.status] -= 1;
    if (next !== undefined) changed[next.status] += 1;
    counts = changed;
  }
  return { pending, pendingOrder, active, retryable, retiring, retiringOwn, cancelRequested, counts };
}

/** Indexes of no task (built when first read, like any). */
export function emptyIndexes(): TaskIndexes {
  return TaskIndexes.of(emptyTable());
}

function emptyParts(): IndexParts {
  const counts: Record<TaskStatus, number> = {
    pending: 0,
    assigned: 0,
    running: 0,
    interrupted: 0,
    awaiting_retry: 0,
    succeeded: 0,
    failed: 0,
    cancelled: 0,
    timed_out: 0,
  };
  return {
    pending: emptyTable(),
    pendingOrder: emptySortedList(),
    active: emptyTable(),
    retryable: emptyTable(),
    retiring: emptySortedList(),
    retiringOwn: emptySortedList(),
    cancelRequested: emptyTable(),
    counts,
  };
}

/**
 * `{ ...counts }` as one literal: the counts change with nearly every event, and V8 copies a spread of
 * an object that was itself made by a spread on its slow path. Same keys, in emptyParts' order.
 */
export function copyOfCounts(counts: Readonly<Record<TaskStatus, number>>): Record<TaskStatus, number> {
  return {
    pending: counts.pending,
    assigned: counts.assigned,
    running: counts.running,
    interrupted: counts.interrupted,
    awaiting_retry: counts.awaiting_retry,
    succeeded: counts.succeeded,
    failed: counts.failed,
    cancelled: counts.cancelled,
    timed_out: counts.timed_out,
  };
}

function entry(key: number, task: Task): SortedEntry {
  return { key, seq: task.seq, taskId: task.taskId };
}

function isFinishedStatus(status: TaskStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled' || status === 'timed_out';
}

/** Unfinished, with a cancel request: the tick cancels it. */
function wantsCancel(task: Task): boolean {
  return task.cancelRequest !== undefined && !isFinishedStatus(task.status);
}
