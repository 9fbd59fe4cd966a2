/**
 * `rebased` builds a task's next value on its fresh base instead of spreading the base: it must give
 * what the spread gave, key for key and in the same order (the API and the log show tasks as JSON).
 */
import { describe, expect, it } from 'vitest';
import { baseOf, rebased, type Task } from '../../../src/domain/task/state.ts';

const base = {
  taskId: 't1',
  type: 'noop',
  payload: { i: 1 },
  maxAttempts: 3,
  backoff: { initialMs: 100, multiplier: 2, maxMs: 1_000 },
  seq: 7,
  submittedAt: 1_000,
  attempt: 1,
  duplicateIds: [],
};
const assignment = { attempt: 1, epoch: 2, node: 'n1', incarnation: 1, assignedAt: 1_100 };

const tasks: Task[] = [
  { ...base, status: 'pending', notBefore: 0 },
  { ...base, idempotencyKey: 'k', timeoutMs: 50, status: 'assigned', assignment },
  {
    ...base,
    retentionMs: 10,
    cancelRequest: { at: 1_150, reason: 'no' },
    status: 'running',
    assignment,
    startedAt: 1_200,
    progress: 0.5,
  },
  { ...base, lastError: { message: 'boom' }, status: 'awaiting_retry', failedAt: 1_300 },
];

describe('rebased', () => {
  it.each(tasks)('gives what the spread of baseOf gave, in the same key order ($status)', (task) => {
    const fields = { status: 'running', assignment, startedAt: 1_234, attempt: 2 } as const;
    const spread = { ...baseOf(task), ...fields };
    const built = rebased(task, fields);
    expect(Object.keys(built)).toEqual(Object.keys(spread));
    expect(JSON.stringify(built)).toBe(JSON.stringify(spread));
  });

  it('leaves the task it starts from as it was', () => {
    const task = tasks[1] as Task;
    const before = JSON.stringify(task);
    rebased(task, { status: 'succeeded', finishedAt: 2_000 });
    expect(JSON.stringify(task)).toBe(before);
  });
});
