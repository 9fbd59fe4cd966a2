import { describe, expect, it } from 'vitest';
import { countByStatus, getTask, listTasks } from '../../../src/domain/task/index.ts';
import { assigned, epochStarted, failed, ref, retired, started, submitted, succeeded } from './fixtures.ts';
import { given } from './given.ts';

const g = given(
  epochStarted(1),
  submitted('p1'),
  submitted('r1'),
  assigned('r1', { node: 'n1' }),
  started(ref('r1')),
  submitted('a2'),
  assigned('a2', { node: 'n2' }),
  submitted('s1', { retentionMs: 0 }),
  assigned('s1', { node: 'n1' }),
  succeeded(ref('s1')),
  submitted('f1'),
  assigned('f1', { node: 'n2' }),
  failed(ref('f1', { node: 'n2' }), false),
  submitted('gone'),
  assigned('gone'),
  succeeded(ref('gone')),
  retired('gone'),
  submitted('p2'),
);
const ids = (tasks: readonly { taskId: string }[]) => tasks.map((task) => task.taskId);

describe('task queries', () => {
  it('get a task by id, and nothing for an unknown or retired one', () => {
    expect(getTask(g.state, 'r1')?.status).toBe('running');
    expect(getTask(g.state, 'gone')).toBeUndefined();
    expect(getTask(g.state, 'nope')).toBeUndefined();
  });

  it('list live tasks oldest first', () => {
    expect(ids(listTasks(g.state))).toEqual(['p1', 'r1', 'a2', 's1', 'f1', 'p2']);
  });

  it('list by status, one or several', () => {
    expect(ids(listTasks(g.state, { status: 'pending' }))).toEqual(['p1', 'p2']);
    expect(ids(listTasks(g.state, { status: ['assigned', 'running'] }))).toEqual(['r1', 'a2']);
  });

  it('list by the node of the latest assignment', () => {
    expect(ids(listTasks(g.state, { node: 'n1' }))).toEqual(['r1', 's1']);
    expect(ids(listTasks(g.state, { node: 'n2', status: 'failed' }))).toEqual(['f1']);
  });

  it('list at most `limit`, and page on from a seq', () => {
    const first = listTasks(g.state, { limit: 2 });
    expect(ids(first)).toEqual(['p1', 'r1']);
    expect(ids(listTasks(g.state, { limit: 2, afterSeq: first.at(-1)?.seq }))).toEqual(['a2', 's1']);
  });

  it('count live tasks by status, and the retired ones', () => {
    expect(countByStatus(g.state)).toEqual({
      pending: 2,
      assigned: 1,
      running: 1,
      interrupted: 0,
      awaiting_retry: 0,
      succeeded: 1,
      failed: 1,
      cancelled: 0,
      timed_out: 0,
      retired: 1,
    });
  });
});
