import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  decideMembersChanged,
  decideTakeover,
  dispatcherDecider,
  evolve,
  initialState,
  jitterFor,
  type TaskEvent,
} from '../../../src/domain/task/index.ts';
import {
  assigned,
  cancelled,
  cancelRequested,
  epochStarted,
  exhausted,
  interrupted,
  LEADER,
  member,
  membersOf,
  ref,
  requeued,
  started,
  submitted,
  T0,
} from './fixtures.ts';
import { given } from './given.ts';

const NOW = T0 + 10_000;
const backoff = { initialMs: 1_000, multiplier: 2, maxMs: 60_000 };
/** When a task whose attempt `attempt` ended is due again, with jitter 0.3 spread for it. */
const due = (taskId: string, attempt: number) => NOW + backoffDelay(backoff, attempt, jitterFor(0.3, taskId));

/** n1 and n2 ran tasks under epoch 1 (leader n0); n0 is gone and n2 takes over as epoch 2. */
const log: TaskEvent[] = [
  epochStarted(1),
  submitted('on-n1'),
  assigned('on-n1', { node: 'n1' }),
  started(ref('on-n1')),
  submitted('on-n2'),
  assigned('on-n2', { node: 'n2' }),
  submitted('waiting'),
];
const takeover = (members = membersOf(member('n2'))) => ({
  now: NOW,
  epoch: 2,
  leader: 'n2',
  incarnation: 1,
  members,
  jitter: 0.3,
});

describe('decideTakeover', () => {
  it('starts the epoch, then interrupts and requeues the tasks of nodes that are gone', () => {
    given(...log)
      .when(decideTakeover, takeover())
      .then([
        epochStarted(2, 'n2', 1),
        interrupted('on-n1', 1, 'node n1 left the cluster', 2),
        requeued('on-n1', 2, due('on-n1', 1), 2),
      ]);
  });

  it('only starts the epoch when every runner is still there', () => {
    given(...log)
      .when(decideTakeover, takeover(membersOf(member('n1'), member('n2'))))
      .then([epochStarted(2, 'n2', 1)]);
  });

  it('treats a node that came back as a new incarnation as gone', () => {
    given(...log)
      .when(decideTakeover, takeover(membersOf(member('n1', { incarnation: 2 }), member('n2'))))
      .then([
        epochStarted(2, 'n2', 1),
        interrupted('on-n1', 1, 'node n1 rejoined as incarnation 2 (the attempt ran on 1)', 2),
        requeued('on-n1', 2, due('on-n1', 1), 2),
      ]);
  });

  it('fails a task for good when its attempts are spent', () => {
    given(epochStarted(1), submitted('last', { maxAttempts: 1 }), assigned('last'))
      .when(decideTakeover, takeover())
      .then([
        epochStarted(2, 'n2', 1),
        interrupted('last', 1, 'node n1 left the cluster', 2),
        exhausted('last', 1, '1 of 1 attempts spent; last: node n1 left the cluster', 2),
      ]);
  });

  it('cancels instead of requeuing a task whose cancellation was requested', () => {
    given(epochStarted(1), submitted('t1'), assigned('t1'), cancelRequested('t1'))
      .when(decideTakeover, takeover())
      .then([
        epochStarted(2, 'n2', 1),
        interrupted('t1', 1, 'node n1 left the cluster', 2),
        cancelled('t1', 1, 2),
      ]);
  });

  it('decides nothing when the epoch does not grow (this is not the newest leader)', () => {
    given(...log, epochStarted(2, 'n9'))
      .when(decideTakeover, takeover())
      .thenNothing();
  });

  it('leaves a folded state where the lost task is pending again and no anomaly was recorded', () => {
    const events = given(...log).when(decideTakeover, takeover()).events;
    const state = [...log, ...events].reduce(evolve, initialState());
    expect(state.epoch).toBe(2);
    expect(state.anomalyCount).toBe(0);
    given(...log, ...events).thenTask('on-n1', { status: 'pending', attempt: 2, notBefore: due('on-n1', 1) });
    given(...log, ...events).thenTask('on-n2', { status: 'assigned', assignment: { node: 'n2', epoch: 1 } });
  });
});

describe('decideMembersChanged', () => {
  const members = membersOf(member('n2'));

  it('interrupts and requeues the tasks of a node that left', () => {
    given(...log)
      .when(decideMembersChanged, { ...LEADER, now: NOW, members, jitter: 0.3 })
      .then([interrupted('on-n1', 1, 'node n1 left the cluster'), requeued('on-n1', 2, due('on-n1', 1))]);
  });

  it('decides nothing when every runner is still there', () => {
    given(...log)
      .when(decideMembersChanged, {
        ...LEADER,
        now: NOW,
        members: membersOf(member('n1'), member('n2')),
        jitter: 0,
      })
      .thenNothing();
  });

  it('decides nothing for a leader whose epoch is not the latest', () => {
    given(...log, epochStarted(2, 'n9'))
      .when(decideMembersChanged, { ...LEADER, now: NOW, members, jitter: 0 })
      .thenNothing();
  });
});

describe('dispatcherDecider', () => {
  it('routes a command to its decision and folds with the same evolve', () => {
    const { decide, evolve: fold, initialState: initial } = dispatcherDecider;
    const state = log.reduce(fold, initial());
    expect(decide({ type: 'TakeOver', input: takeover() }, state)).toEqual(decideTakeover(takeover(), state));
    expect(decide({ type: 'Tick', input: { ...LEADER, jitter: 0 } }, state)).toEqual([]);
  });
});
