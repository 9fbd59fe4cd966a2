/**
 * Task log events in plain words, with what the fold knew around them (how long an attempt ran,
 * whether a report was refused as a zombie write).
 */
import { getTask } from '../../domain/task/index.ts';
import type { TaskStep } from '../folds/replay-step.ts';
import { clockTime } from '../time/clock-format.ts';
import { formatDuration } from '../time/durations.ts';

/** The plain-words meaning of a task step. */
export function narrateTask(step: TaskStep): string {
  const refused = step.anomalies[0];
  const text = describe(step);
  return refused === undefined ? text : `${text} — refused by the fold: ${refused.kind}`;
}

function describe(current: TaskStep): string {
  const { event } = current;
  switch (event.type) {
    case 'TaskSubmitted': {
      const { taskId, type, maxAttempts } = event.data;
      return `task ${taskId} submitted (type ${type}, up to ${maxAttempts} attempt${maxAttempts === 1 ? '' : 's'})`;
    }
    case 'TaskCancelRequested':
      return `cancel requested for ${event.data.taskId}${event.data.reason === undefined ? '' : `: ${event.data.reason}`}`;
    case 'EpochStarted':
      return `epoch ${event.data.epoch} started by ${event.data.leader} (incarnation ${event.data.incarnation})`;
    case 'TaskAssigned': {
      const { taskId, attempt, node, incarnation, epoch } = event.data;
      return `${taskId} attempt ${attempt} assigned to ${node} (incarnation ${incarnation}, epoch ${epoch})`;
    }
    case 'TaskInterrupted':
      return `${event.data.taskId} attempt ${event.data.attempt} interrupted: ${event.data.reason}`;
    case 'TaskRequeued':
      return `${event.data.taskId} requeued as attempt ${event.data.attempt}, not before ${clockTime(event.data.notBefore)}`;
    case 'TaskTimedOut':
      return `${event.data.taskId} attempt ${event.data.attempt} timed out${ranFor(current)}`;
    case 'TaskCancelled':
      return `${event.data.taskId} cancelled${event.data.reason === undefined ? '' : `: ${event.data.reason}`}`;
    case 'TaskAttemptsExhausted':
      return `${event.data.taskId} failed for good after attempt ${event.data.attempt}: ${event.data.reason}`;
    case 'TaskRetired':
      return `${event.data.taskId} retired`;
    case 'TaskStarted':
      return `${event.data.taskId} attempt ${event.data.attempt} started on ${event.data.node}`;
    case 'TaskProgressed': {
      const percent = Math.round(event.data.progress * 100);
      return `${event.data.taskId} at ${percent}%${event.data.message === undefined ? '' : `: ${event.data.message}`}`;
    }
    case 'TaskSucceeded':
      return `${event.data.taskId} attempt ${event.data.attempt} succeeded${ranFor(current)}`;
    case 'TaskFailed': {
      const { taskId, attempt, error, retryable } = event.data;
      return `${taskId} attempt ${attempt} failed (${retryable ? 'retryable' : 'final'})${ranFor(current)}: ${error.message}`;
    }
  }
}

/** " after 3.2 s" when the task was running before this event. */
function ranFor(step: TaskStep): string {
  const taskId = (step.event.data as { taskId: string }).taskId;
  const task = getTask(step.before, taskId);
  return task?.status === 'running' ? ` after ${formatDuration(step.at - task.startedAt)}` : '';
}
