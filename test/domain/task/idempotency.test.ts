import { describe, expect, it } from 'vitest';
import {
  decideSubmission,
  findByIdempotencyKey,
  getTask,
  listTasks,
  resolveTaskId,
  validateSubmission,
} from '../../../src/domain/task/index.ts';
import { assigned, epochStarted, ref, retired, submitted, succeeded, T0 } from './fixtures.ts';
import { given } from './given.ts';

describe('a second submission with an idempotency key already seen', () => {
  // Two nodes' APIs appended the same key concurrently: the log order decides.
  const g = given(
    submitted('t1', { idempotencyKey: 'k' }),
    submitted('t2', { idempotencyKey: 'k', type: 'other' }),
  );

  it('creates nothing', () => {
    expect(listTasks(g.state).map((task) => task.taskId)).toEqual(['t1']);
    expect(g.state.submittedCount).toBe(1);
  });

  it('maps to the first task, by key and by the duplicate id', () => {
    expect(findByIdempotencyKey(g.state, 'k')?.taskId).toBe('t1');
    expect(resolveTaskId(g.state, 't2')).toBe('t1');
    expect(getTask(g.state, 't2')?.taskId).toBe('t1');
  });

  it('is recorded as a duplicate, not as an anomaly', () => {
    expect(g.state.duplicateCount).toBe(1);
    expect(getTask(g.state, 't1')?.duplicateIds).toEqual(['t2']);
    expect(g.state.anomalyCount).toBe(0);
  });
});

describe('idempotency keys', () => {
  it('are independent of each other', () => {
    const g = given(submitted('t1', { idempotencyKey: 'a' }), submitted('t2', { idempotencyKey: 'b' }));
    expect(listTasks(g.state)).toHaveLength(2);
  });

  it('count the same submission appended twice once', () => {
    const g = given(submitted('t1', { idempotencyKey: 'k' }), submitted('t1', { idempotencyKey: 'k' }));
    expect(g.state.submittedCount).toBe(1);
    expect(getTask(g.state, 't1')?.duplicateIds).toEqual([]);
  });

  it('are freed when the first task retires, with its aliases', () => {
    const done = [
      epochStarted(1),
      submitted('t1', { idempotencyKey: 'k' }),
      submitted('t2', { idempotencyKey: 'k' }),
      assigned('t1'),
      succeeded(ref('t1')),
      retired('t1'),
    ];
    const g = given(...done);
    expect(findByIdempotencyKey(g.state, 'k')).toBeUndefined();
    expect(resolveTaskId(g.state, 't2')).toBe('t2');
    given(...done, submitted('t3', { idempotencyKey: 'k' })).thenTask('t3', { status: 'pending' });
  });
});

describe('decideSubmission', () => {
  const who = { taskId: 'new', now: T0, node: 'api-node', incarnation: 1 };
  const command = (body: object) => {
    const valid = validateSubmission(body);
    if (!valid.ok) throw new Error('invalid fixture');
    return valid.value;
  };

  it('appends a TaskSubmitted with the defaults filled in', () => {
    const decision = decideSubmission(command({ type: 'noop' }), who, given().state);
    expect(decision.duplicate).toBe(false);
    expect(decision.taskId).toBe('new');
    expect(decision.events).toEqual([
      submitted('new', { backoff: { initialMs: 1_000, multiplier: 2, maxMs: 300_000 } }),
    ]);
  });

  it('answers with the first task and appends nothing when the key is known', () => {
    const state = given(submitted('t1', { idempotencyKey: 'k' })).state;
    const decision = decideSubmission(command({ type: 'noop', idempotencyKey: 'k' }), who, state);
    expect(decision).toEqual({ taskId: 't1', events: [], duplicate: true });
  });
});

describe('a duplicate submission whose id is already a task', () => {
  it('is an anomaly and never hides the task that owns the id', () => {
    const g = given(
      submitted('t3', { idempotencyKey: 'k1' }),
      submitted('t2', { idempotencyKey: 'k0' }),
      submitted('t2', { idempotencyKey: 'k1' }),
    );
    expect(getTask(g.state, 't2')?.taskId).toBe('t2');
    expect(getTask(g.state, 't3')?.duplicateIds).toEqual([]);
    g.thenAnomaly('duplicate-task-id');
  });
});
