/**
 * The demo's lines between two looks at the tasks: what is a requeue, what is a retry, what ends a task.
 */
import { describe, expect, it } from 'vitest';
import { taskNotes } from '../../../src/cli/demo/task-notes.ts';
import type { Task } from '../../../src/domain/task/state.ts';

const base = {
  taskId: 'aaaaaaaa-0000-0000-0000-000000000000',
  type: 'sleep',
  payload: null,
  maxAttempts: 3,
  backoff: { initialMs: 1_000, multiplier: 2, maxMs: 4_000 },
  seq: 1,
  submittedAt: 0,
  duplicateIds: [],
} as const;
const assignment = (node: string, attempt: number) => ({
  attempt,
  epoch: 1,
  node,
  incarnation: 1,
  assignedAt: 0,
});

const running = (node: string, attempt = 1): Task => ({
  ...base,
  status: 'running',
  attempt,
  assignment: assignment(node, attempt),
  startedAt: 0,
});
const pending = (attempt: number, notBefore: number, lastError?: string): Task => ({
  ...base,
  status: 'pending',
  attempt,
  notBefore,
  assignment: assignment('n1', attempt - 1),
  ...(lastError === undefined ? {} : { lastError: { message: lastError } }),
});

const notes = (before: Task, after: Task, killed: string[] = []) =>
  taskNotes(new Map([[before.taskId, before]]), [after], new Set(killed), 10_000);

describe('when a task comes back with a higher attempt', () => {
  it('calls it a requeue when its runner was killed', () => {
    expect(notes(running('n2'), pending(2, 0), ['n2'])).toEqual([
      'aaaaaaaa sleep: requeued: attempt 1 was on n2 (killed), attempt 2 runs elsewhere',
    ]);
  });

  it('calls it a retry after a failure, with the backoff still to wait', () => {
    expect(notes(running('n1'), pending(2, 11_500, 'boom'))).toEqual([
      'aaaaaaaa sleep: attempt 1 failed (boom); retry: attempt 2 of 3 in 1.5 s (backoff)',
    ]);
  });
});

describe('when a task ends', () => {
  it('says why it was cancelled', () => {
    const cancelled: Task = { ...base, status: 'cancelled', attempt: 1, finishedAt: 1, reason: 'by hand' };
    expect(notes(running('n1'), cancelled)).toEqual(['aaaaaaaa sleep: cancelled (by hand)']);
  });

  it('says nothing of a success (the status line counts those)', () => {
    const succeeded: Task = { ...base, status: 'succeeded', attempt: 1, finishedAt: 1 };
    expect(notes(running('n1'), succeeded)).toEqual([]);
  });
});

describe('a task seen for the first time', () => {
  it('gives no line', () => {
    expect(taskNotes(new Map(), [running('n1')], new Set(), 0)).toEqual([]);
  });
});
