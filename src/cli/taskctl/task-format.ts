/** How taskctl shows tasks to people: a table for lists, fields for one task, a line per change. */
import type { Task } from '../../domain/task/state.ts';
import { formatFields, formatTable } from './table.ts';

/** A list of tasks as a table, oldest first as the server sent them. */
export function formatTaskTable(tasks: readonly Task[]): string {
  if (tasks.length === 0) return 'no tasks\n';
  const rows = tasks.map((t) => [
    t.taskId,
    t.type,
    t.status,
    `${t.attempt}/${t.maxAttempts}`,
    t.assignment?.node ?? '-',
    time(t.submittedAt),
  ]);
  return formatTable(['ID', 'TYPE', 'STATUS', 'ATTEMPT', 'NODE', 'SUBMITTED'], rows);
}

/** One task, field by field. */
export function formatTaskDetail(task: Task): string {
  const running = task.status === 'running' ? task : undefined;
  const finished = 'finishedAt' in task ? task.finishedAt : undefined;
  return formatFields([
    ['id', task.taskId],
    ['type', task.type],
    ['status', task.status],
    ['attempt', `${task.attempt} of ${task.maxAttempts}`],
    ['node', task.assignment?.node],
    ['submitted', time(task.submittedAt)],
    ['started', running && time(running.startedAt)],
    ['progress', running?.progress === undefined ? undefined : progressText(running)],
    ['finished', finished === undefined ? undefined : time(finished)],
    [
      'cancel',
      task.cancelRequest &&
        `requested ${time(task.cancelRequest.at)} ${task.cancelRequest.reason ?? ''}`.trimEnd(),
    ],
    [
      'error',
      task.lastError && `${task.lastError.message}${task.lastError.code ? ` (${task.lastError.code})` : ''}`,
    ],
    [
      'result',
      task.status === 'succeeded' && task.result !== undefined ? JSON.stringify(task.result) : undefined,
    ],
    ['idempotency key', task.idempotencyKey],
    ['payload', JSON.stringify(task.payload)],
    ['duplicates', task.duplicateIds.length > 0 ? task.duplicateIds.join(', ') : undefined],
  ]);
}

/** One line for `watch`: what changed in a task, and when it was seen. */
export function formatTaskChange(task: Task, seenAt: Date): string {
  const parts = [
    seenAt.toISOString(),
    task.taskId,
    task.status,
    `attempt ${task.attempt}/${task.maxAttempts}`,
  ];
  if (task.assignment !== undefined) parts.push(`on ${task.assignment.node}`);
  if (task.status === 'running' && task.progress !== undefined) parts.push(progressText(task));
  if (task.lastError !== undefined && task.status !== 'succeeded')
    parts.push(`error: ${task.lastError.message}`);
  return `${parts.join('  ')}\n`;
}

/** What makes two sightings of a task different enough to print again. */
export function changeKey(task: Task): string {
  const progress = task.status === 'running' ? `${task.progress ?? ''}|${task.message ?? ''}` : '';
  return [task.status, task.attempt, task.assignment?.node ?? '', progress].join('|');
}

function progressText(task: { progress?: number; message?: string }): string {
  const percent = `${Math.round((task.progress ?? 0) * 100)}%`;
  return task.message === undefined ? percent : `${percent} ${task.message}`;
}

function time(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
