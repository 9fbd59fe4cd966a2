/**
 * Asking for a cancellation. Any node may append the request; the leader cancels on its next tick
 * (and the runner, seeing TaskCancelled, aborts). The API answers 404 / 409 from the refusal reason.
 */
import { z } from 'zod';
import type { EventMeta } from '../event.ts';
import { type TaskCancelRequested, taskEvent } from './events.ts';
import { type Validation, validateWith } from './field-errors.ts';
import { TaskLimits } from './policy.ts';
import { getTask } from './queries.ts';
import { isFinished, optional, type TaskStatus, type TasksState } from './state.ts';

export const CancelRequestSchema = z.strictObject({
  reason: z.string().max(TaskLimits.reasonLength).optional(),
});

/** Checks a cancel request's body; every error names its field. Never throws. */
export function validateCancelRequest(body: unknown): Validation<z.output<typeof CancelRequestSchema>> {
  return validateWith(CancelRequestSchema, body ?? {});
}

export interface CancelRequestInput {
  readonly taskId: string;
  readonly reason?: string;
  readonly now: number;
  readonly node: string;
  readonly incarnation: number;
}

export type CancelDecision =
  | { readonly ok: true; readonly taskId: string; readonly events: readonly TaskCancelRequested[] }
  | { readonly ok: false; readonly reason: 'unknown-task' }
  | { readonly ok: false; readonly reason: 'already-finished'; readonly status: TaskStatus };

/** A TaskCancelRequested for a live unfinished task; nothing more when one was already requested. */
export function decideCancelRequest(input: CancelRequestInput, state: TasksState): CancelDecision {
  const task = getTask(state, input.taskId);
  if (task === undefined) return { ok: false, reason: 'unknown-task' };
  if (isFinished(task)) return { ok: false, reason: 'already-finished', status: task.status };
  if (task.cancelRequest !== undefined) return { ok: true, taskId: task.taskId, events: [] };
  const meta: EventMeta = { node: input.node, incarnation: input.incarnation, at: input.now };
  const data = { taskId: task.taskId, ...optional('reason', input.reason) };
  return {
    ok: true,
    taskId: task.taskId,
    events: [taskEvent<TaskCancelRequested>('TaskCancelRequested', data, meta)],
  };
}
