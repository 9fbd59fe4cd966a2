/**
 * What is worth a line of its own between two looks at the tasks: a failed attempt retried after its
 * backoff, an attempt lost with its runner and requeued, a cancellation, a final failure. Pure:
 * the board hands in the previous and the current tasks, and the nodes the demo killed.
 */
import type { Task } from '../../domain/task/state.ts';
import { shortId } from './snapshot.ts';

/** One line per notable change from `before` to `after` (tasks seen for the first time say nothing). */
export function taskNotes(
  before: ReadonlyMap<string, Task>,
  after: readonly Task[],
  killed: ReadonlySet<string>,
  now: number,
): string[] {
  const notes: string[] = [];
  for (const task of after) {
    const previous = before.get(task.taskId);
    if (previous === undefined) continue;
    const name = `${shortId(task.taskId)} ${task.type}`;
    if (task.attempt > previous.attempt) notes.push(`${name}: ${nextAttempt(previous, task, killed, now)}`);
    if (task.status === previous.status) continue;
    switch (task.status) {
      case 'interrupted':
        notes.push(`${name}: attempt ${task.attempt} interrupted (${task.reason})`);
        break;
      case 'failed':
        notes.push(`${name}: failed for good after ${task.attempt} attempt(s): ${task.lastError.message}`);
        break;
      case 'cancelled':
        notes.push(`${name}: cancelled${task.reason ? ` (${task.reason})` : ''}`);
        break;
      case 'timed_out':
        notes.push(`${name}: timed out`);
        break;
      default:
        break;
    }
  }
  return notes;
}

function nextAttempt(previous: Task, task: Task, killed: ReadonlySet<string>, now: number): string {
  const lostOn = previous.assignment?.node;
  const wasOnRunner = ['assigned', 'running', 'interrupted'].includes(previous.status);
  if (lostOn !== undefined && killed.has(lostOn) && wasOnRunner) {
    return `requeued: attempt ${previous.attempt} was on ${lostOn} (killed), attempt ${task.attempt} runs elsewhere`;
  }
  const wait = task.status === 'pending' ? Math.max(0, task.notBefore - now) : 0;
  const after = wait > 0 ? ` in ${(wait / 1000).toFixed(1)} s (backoff)` : '';
  const failure = task.lastError === undefined ? '' : ` failed (${task.lastError.message})`;
  return `attempt ${previous.attempt}${failure}; retry: attempt ${task.attempt} of ${task.maxAttempts}${after}`;
}
