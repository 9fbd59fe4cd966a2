/**
 * The events a runner appends to its own stream about an assignment. Each names the assignment
 * exactly, so that the fold can tell a current report from a zombie one.
 */
import { assertNever, type EventMeta } from '../event.ts';
import {
  type JsonValue,
  type RunnerEvent,
  type RunnerRef,
  type TaskError,
  type TaskFailed,
  type TaskProgressed,
  type TaskStarted,
  type TaskSucceeded,
  taskEvent,
} from './events.ts';
import { optional } from './state.ts';

export type RunnerOutcome =
  | { readonly kind: 'started' }
  | { readonly kind: 'progressed'; readonly progress: number; readonly message?: string }
  | { readonly kind: 'succeeded'; readonly result?: JsonValue }
  | { readonly kind: 'failed'; readonly error: TaskError; readonly retryable: boolean };

/** The report of `outcome` for `assignment`, written by that runner at `now`. */
export function decideReport(assignment: RunnerRef, outcome: RunnerOutcome, now: number): RunnerEvent {
  const ref: RunnerRef = {
    taskId: assignment.taskId,
    attempt: assignment.attempt,
    epoch: assignment.epoch,
    node: assignment.node,
    incarnation: assignment.incarnation,
  };
  const meta: EventMeta = { node: ref.node, incarnation: ref.incarnation, epoch: ref.epoch, at: now };
  switch (outcome.kind) {
    case 'started':
      return taskEvent<TaskStarted>('TaskStarted', ref, meta);
    case 'progressed':
      return taskEvent<TaskProgressed>(
        'TaskProgressed',
        { ...ref, progress: outcome.progress, ...optional('message', outcome.message) },
        meta,
      );
    case 'succeeded':
      return taskEvent<TaskSucceeded>(
        'TaskSucceeded',
        { ...ref, ...optional('result', outcome.result) },
        meta,
      );
    case 'failed':
      return taskEvent<TaskFailed>(
        'TaskFailed',
        { ...ref, error: outcome.error, retryable: outcome.retryable },
        meta,
      );
    default:
      return assertNever(outcome);
  }
}
