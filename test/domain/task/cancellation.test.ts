import { describe, expect, it } from 'vitest';
import {
  assignmentsFor,
  decideAssignments,
  decideCancelRequest,
  decideTick,
  TaskAnomalies,
} from '../../../src/domain/task/index.ts';
import {
  assigned,
  cancelled,
  cancelRequested,
  epochStarted,
  failed,
  interrupted,
  LEADER,
  member,
  membersOf,
  ref,
  started,
  submitted,
  succeeded,
  T0,
} from './fixtures.ts';
import { given } from './given.ts';

const t1 = ref('t1');
const tick = { ...LEADER, now: T0 + 10, jitter: 0 };

describe('a cancel request', () => {
  it('marks the task and changes nothing else until the leader cancels it', () => {
    given(epochStarted(1), submitted('t1'), cancelRequested('t1', 'not needed', T0 + 1)).thenTask('t1', {
      status: 'pending',
      cancelRequest: { at: T0 + 1, reason: 'not needed' },
    });
  });

  it('is ignored, not an anomaly, for a task that finished first (decided on a lagging view)', () => {
    const g = given(epochStarted(1), submitted('t1'), assigned('t1'), succeeded(t1), cancelRequested('t1'));
    g.thenTask('t1', { status: 'succeeded' });
    g.thenState((state) => expect(state.anomalyCount).toBe(0));
  });

  it('keeps a pending task from being assigned', () => {
    given(epochStarted(1), submitted('t1'), cancelRequested('t1'))
      .when(decideAssignments, { ...LEADER, members: membersOf(member('n1')) })
      .thenNothing();
  });
});

describe('the leader cancels on its tick', () => {
  it('a pending task', () => {
    given(epochStarted(1), submitted('t1'), cancelRequested('t1', 'why'))
      .when(decideTick, tick)
      .then([cancelled('t1', 1, 1, T0, 'why')]);
  });

  it('an assigned task', () => {
    given(epochStarted(1), submitted('t1'), assigned('t1'), cancelRequested('t1'))
      .when(decideTick, tick)
      .then([cancelled('t1', 1)]);
  });

  it('a running task, whose runner is then told to abort', () => {
    const g = given(epochStarted(1), submitted('t1'), assigned('t1'), started(t1), cancelRequested('t1'));
    g.when(decideTick, tick).then([cancelled('t1', 1)]);
    const after = given(epochStarted(1), submitted('t1'), assigned('t1'), started(t1), cancelled('t1', 1));
    after.thenTask('t1', { status: 'cancelled' });
    expect(assignmentsFor('n1', 1, after.state, [{ taskId: 't1', attempt: 1 }]).abort).toEqual([
      { taskId: 't1', attempt: 1, reason: 'cancelled' },
    ]);
  });

  it('an interrupted task, instead of requeuing it', () => {
    given(
      epochStarted(1),
      submitted('t1'),
      assigned('t1'),
      cancelRequested('t1'),
      interrupted('t1', 1, 'gone'),
    )
      .when(decideTick, tick)
      .then([cancelled('t1', 1)]);
  });

  it('a task awaiting a retry, instead of requeuing it', () => {
    given(epochStarted(1), submitted('t1'), assigned('t1'), failed(t1, true), cancelRequested('t1'))
      .when(decideTick, tick)
      .then([cancelled('t1', 1)]);
  });
});

describe('TaskCancelled', () => {
  it('ends the task with the reason of the request', () => {
    given(
      epochStarted(1),
      submitted('t1'),
      cancelRequested('t1', 'why'),
      cancelled('t1', 1, 1, T0 + 5),
    ).thenTask('t1', {
      status: 'cancelled',
      finishedAt: T0 + 5,
      reason: 'why',
    });
  });

  it('turns later reports of the cancelled attempt into zombie writes', () => {
    const g = given(
      epochStarted(1),
      submitted('t1'),
      assigned('t1'),
      started(t1),
      cancelled('t1', 1),
      succeeded(t1),
    );
    g.thenTask('t1', { status: 'cancelled' });
    g.thenAnomaly(TaskAnomalies.zombieWrite);
  });

  it('is refused for a finished task', () => {
    const g = given(epochStarted(1), submitted('t1'), assigned('t1'), succeeded(t1), cancelled('t1', 1));
    g.thenTask('t1', { status: 'succeeded' });
    g.thenAnomaly(TaskAnomalies.invalidTransition);
  });
});

describe('decideCancelRequest', () => {
  const who = { now: T0, node: 'api-node', incarnation: 1 };

  it('appends a request for a live unfinished task', () => {
    const decision = decideCancelRequest(
      { ...who, taskId: 't1', reason: 'why' },
      given(submitted('t1')).state,
    );
    expect(decision).toEqual({ ok: true, taskId: 't1', events: [cancelRequested('t1', 'why')] });
  });

  it('appends nothing more when a request is already folded', () => {
    const state = given(submitted('t1'), cancelRequested('t1')).state;
    expect(decideCancelRequest({ ...who, taskId: 't1' }, state)).toEqual({
      ok: true,
      taskId: 't1',
      events: [],
    });
  });

  it('refuses an unknown task and a finished one', () => {
    expect(decideCancelRequest({ ...who, taskId: 'nope' }, given().state)).toEqual({
      ok: false,
      reason: 'unknown-task',
    });
    const done = given(epochStarted(1), submitted('t1'), assigned('t1'), succeeded(t1)).state;
    expect(decideCancelRequest({ ...who, taskId: 't1' }, done)).toEqual({
      ok: false,
      reason: 'already-finished',
      status: 'succeeded',
    });
  });
});
