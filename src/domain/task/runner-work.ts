/**
 * A runner's view of the task state: what is assigned to it (this node AND this incarnation: a
 * restarted process never picks up its predecessor's attempts), and which attempts it still runs
 * that are no longer its own and must be aborted.
 */
import { assertNever } from '../event.ts';
import type { JsonValue } from './events.ts';
import type { ActiveTask, Task, TasksState } from './state.ts';
import { tableGet, tableValues } from './table.ts';

export interface RunnerAssignment {
  readonly taskId: string;
  readonly type: string;
  readonly payload: JsonValue;
  readonly attempt: number;
  readonly epoch: number;
  readonly node: string;
  readonly incarnation: number;
  readonly deadline?: number;
  /** 'running' once the runner's TaskStarted (or a progress report) was folded. */
  readonly status: 'assigned' | 'running';
}

/** An attempt a runner holds: what it passes in to learn which to abort. */
export interface AttemptRef {
  readonly taskId: string;
  readonly attempt: number;
}

export type AbortReason = 'cancelled' | 'timed_out' | 'interrupted' | 'reassigned' | 'ended' | 'unknown';

export interface AbortOrder extends AttemptRef {
  readonly reason: AbortReason;
}

export interface RunnerWork {
  readonly assignments: readonly RunnerAssignment[];
  readonly abort: readonly AbortOrder[];
}

/** The current assignments of `node` as `incarnation`, oldest first, and which of `running` to abort. */
export function assignmentsFor(
  node: string,
  incarnation: number,
  state: TasksState,
  running: readonly AttemptRef[] = [],
): RunnerWork {
  const assignments: RunnerAssignment[] = [];
  const ours: ActiveTask[] = [];
  for (const task of tableValues(state.indexes.active)) {
    if (task.assignment.node === node && task.assignment.incarnation === incarnation) ours.push(task);
  }
  for (const task of ours.sort((a, b) => a.seq - b.seq)) {
    const { taskId, type, payload, attempt, status } = task;
    const { epoch, deadline } = task.assignment;
    assignments.push({
      taskId,
      type,
      payload,
      attempt,
      epoch,
      node,
      incarnation,
      status,
      ...(deadline === undefined ? {} : { deadline }),
    });
  }
  const abort: AbortOrder[] = [];
  for (const ref of running) {
    const reason = abortReason(tableGet(state.tasks, ref.taskId), ref, node, incarnation);
    if (reason !== undefined) abort.push({ taskId: ref.taskId, attempt: ref.attempt, reason });
  }
  return { assignments, abort };
}

/** Why a runner must stop `ref`, or undefined when it is still its current assignment. */
function abortReason(
  task: Task | undefined,
  ref: AttemptRef,
  node: string,
  incarnation: number,
): AbortReason | undefined {
  if (task === undefined) return 'unknown';
  const ours =
    task.attempt === ref.attempt &&
    task.assignment?.node === node &&
    task.assignment.incarnation === incarnation;
  if (!ours) return 'reassigned';
  switch (task.status) {
    case 'assigned':
    case 'running':
      return undefined;
    case 'cancelled':
      return 'cancelled';
    case 'timed_out':
      return 'timed_out';
    case 'interrupted':
      return 'interrupted';
    case 'pending':
    case 'awaiting_retry':
    case 'succeeded':
    case 'failed':
      return 'ended';
    default:
      return assertNever(task);
  }
}
