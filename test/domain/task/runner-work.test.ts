import { describe, expect, it } from 'vitest';
import { assignmentsFor, decideReport, evolve } from '../../../src/domain/task/index.ts';
import {
  assigned,
  epochStarted,
  failed,
  interrupted,
  progressed,
  ref,
  requeued,
  started,
  submitted,
  succeeded,
  T0,
  timedOut,
} from './fixtures.ts';
import { given } from './given.ts';

describe('assignmentsFor', () => {
  const g = given(
    epochStarted(1),
    submitted('a', { type: 'sleep', payload: { ms: 5 } }),
    assigned('a', { node: 'n1', deadline: T0 + 9 }),
    submitted('b'),
    assigned('b', { node: 'n1' }),
    started(ref('b')),
    submitted('elsewhere'),
    assigned('elsewhere', { node: 'n2' }),
    submitted('old-self'),
    assigned('old-self', { node: 'n1', incarnation: 0 }),
  );

  it("lists this node's assignments for this incarnation, oldest first", () => {
    expect(assignmentsFor('n1', 1, g.state).assignments).toEqual([
      {
        taskId: 'a',
        type: 'sleep',
        payload: { ms: 5 },
        attempt: 1,
        epoch: 1,
        node: 'n1',
        incarnation: 1,
        deadline: T0 + 9,
        status: 'assigned',
      },
      {
        taskId: 'b',
        type: 'noop',
        payload: null,
        attempt: 1,
        epoch: 1,
        node: 'n1',
        incarnation: 1,
        status: 'running',
      },
    ]);
  });

  it("never hands a restarted process its predecessor's attempts", () => {
    expect(assignmentsFor('n1', 0, g.state).assignments.map((a) => a.taskId)).toEqual(['old-self']);
  });

  it('asks to abort nothing that is still the runner’s own', () => {
    expect(assignmentsFor('n1', 1, g.state, [{ taskId: 'b', attempt: 1 }]).abort).toEqual([]);
  });

  it('asks to abort what timed out, was interrupted, moved on, or is gone', () => {
    const state = [
      timedOut('a', 1),
      interrupted('b', 1, 'node n1 suspected'),
      requeued('b', 2, T0),
      assigned('b', { attempt: 2, node: 'n2' }),
    ].reduce(evolve, g.state);
    const running = [
      { taskId: 'a', attempt: 1 },
      { taskId: 'b', attempt: 1 },
      { taskId: 'ghost', attempt: 1 },
    ];
    expect(assignmentsFor('n1', 1, state, running).abort).toEqual([
      { taskId: 'a', attempt: 1, reason: 'timed_out' },
      { taskId: 'b', attempt: 1, reason: 'reassigned' },
      { taskId: 'ghost', attempt: 1, reason: 'unknown' },
    ]);
  });

  it('asks to abort an interrupted attempt before it is requeued', () => {
    const state = evolve(g.state, interrupted('b', 1, 'gone'));
    expect(assignmentsFor('n1', 1, state, [{ taskId: 'b', attempt: 1 }]).abort).toEqual([
      { taskId: 'b', attempt: 1, reason: 'interrupted' },
    ]);
  });
});

describe('decideReport', () => {
  const where = ref('t1', { attempt: 2, epoch: 3, node: 'n4', incarnation: 5 });

  it('names the assignment exactly and writes as that runner', () => {
    expect(decideReport(where, { kind: 'started' }, T0 + 1)).toEqual(started(where, T0 + 1));
    expect(decideReport(where, { kind: 'progressed', progress: 0.5, message: 'half' }, T0)).toEqual(
      progressed(where, 0.5, 'half'),
    );
    expect(decideReport(where, { kind: 'succeeded', result: [1] }, T0)).toEqual(succeeded(where, [1]));
    expect(decideReport(where, { kind: 'failed', error: { message: 'x' }, retryable: true }, T0)).toEqual(
      failed(where, true, { message: 'x' }),
    );
  });
});
