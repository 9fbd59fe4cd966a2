/**
 * What becomes of a task whose attempt ended without a result (runner lost, retryable failure):
 * cancelled if someone asked, requeued after a backoff if attempts are left, failed for good if not.
 */
import { backoffDelay, jitterFor } from './backoff.ts';
import {
  type TaskAttemptsExhausted,
  type TaskCancelled,
  type TaskEvent,
  type TaskRequeued,
  taskEvent,
} from './events.ts';
import { type LeaderContext, leaderMeta } from './leader-context.ts';
import { optional, type Task } from './state.ts';

/** The event that follows an ended attempt; `lastOutcome` says how it ended, for the final failure. */
export function decideRetry(
  task: Task,
  lastOutcome: string,
  context: LeaderContext,
  jitter: number,
): TaskEvent {
  const meta = leaderMeta(context);
  const { taskId, attempt } = task;
  const epoch = context.epoch;
  if (task.cancelRequest !== undefined) {
    return taskEvent<TaskCancelled>(
      'TaskCancelled',
      { taskId, attempt, epoch, ...optional('reason', task.cancelRequest.reason) },
      meta,
    );
  }
  if (attempt < task.maxAttempts) {
    const notBefore = context.now + backoffDelay(task.backoff, attempt, jitterFor(jitter, taskId));
    return taskEvent<TaskRequeued>('TaskRequeued', { taskId, attempt: attempt + 1, epoch, notBefore }, meta);
  }
  const reason = `${attempt} of ${task.maxAttempts} attempts spent; last: ${lastOutcome}`;
  return taskEvent<TaskAttemptsExhausted>('TaskAttemptsExhausted', { taskId, attempt, epoch, reason }, meta);
}
