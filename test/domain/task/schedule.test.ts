import { describe, expect, it } from 'vitest';
import { decideAssignments } from '../../../src/domain/task/index.ts';
import {
  assigned,
  cancelRequested,
  epochStarted,
  failed,
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

const at = (now: number, members = membersOf(member('n1'))) => ({ ...LEADER, now, members });

describe('decideAssignments', () => {
  it('assigns a due pending task to a live member, with its attempt, the epoch and the incarnation', () => {
    given(epochStarted(1), submitted('t1'))
      .when(decideAssignments, at(T0, membersOf(member('n1', { incarnation: 4 }))))
      .then([assigned('t1', { node: 'n1', incarnation: 4 })]);
  });

  it('sets the deadline of an attempt from the task timeout', () => {
    given(epochStarted(1), submitted('t1', { timeoutMs: 500 }))
      .when(decideAssignments, at(T0 + 10))
      .then([assigned('t1', { deadline: T0 + 510 })]);
  });

  it('assigns the oldest submissions first', () => {
    given(epochStarted(1), submitted('t3'), submitted('t1'), submitted('t2'))
      .when(decideAssignments, at(T0, membersOf(member('n1', { capacity: 2 }))))
      .then([assigned('t3'), assigned('t1')]);
  });

  it('waits until a requeued task is due', () => {
    const events = [
      epochStarted(1),
      submitted('t1'),
      assigned('t1'),
      failed(ref('t1'), true),
      requeued('t1', 2, T0 + 1_000),
    ];
    given(...events)
      .when(decideAssignments, at(T0 + 999))
      .thenNothing();
    given(...events)
      .when(decideAssignments, at(T0 + 1_000))
      .then([assigned('t1', { attempt: 2 })]);
  });

  it('skips a task whose cancellation was requested', () => {
    given(epochStarted(1), submitted('t1'), cancelRequested('t1'), submitted('t2'))
      .when(decideAssignments, at(T0))
      .then([assigned('t2')]);
  });

  it('spreads tasks to the least loaded member first, ties broken by node id', () => {
    const members = membersOf(member('n2'), member('n1'), member('n3'));
    given(
      epochStarted(1),
      submitted('busy'),
      assigned('busy', { node: 'n1' }),
      submitted('a'),
      submitted('b'),
      submitted('c'),
    )
      .when(decideAssignments, at(T0, members))
      .then([assigned('a', { node: 'n2' }), assigned('b', { node: 'n3' }), assigned('c', { node: 'n1' })]);
  });

  it('assigns up to capacity + prefetch to a member: the rest waits in its runner queue', () => {
    given(epochStarted(1), submitted('t1'), submitted('t2'), submitted('t3'), submitted('t4'))
      .when(decideAssignments, at(T0, membersOf(member('n1', { capacity: 1, prefetch: 2 }))))
      .then([assigned('t1'), assigned('t2'), assigned('t3')]);
  });

  it('puts a task with a timeout only into a free slot, never into a queue, and assigns the tasks behind it', () => {
    const events = [
      epochStarted(1),
      submitted('t1'),
      assigned('t1'),
      submitted('t2', { timeoutMs: 500 }),
      submitted('t3'),
    ];
    given(...events)
      .when(decideAssignments, at(T0, membersOf(member('n1', { capacity: 1, prefetch: 1 }))))
      .then([assigned('t3')]);
    given(...events)
      .when(decideAssignments, at(T0, membersOf(member('n1', { capacity: 2, prefetch: 1 }))))
      .then([assigned('t2', { deadline: T0 + 500 }), assigned('t3')]);
  });

  it('measures load relative to capacity', () => {
    const members = membersOf(member('big', { capacity: 4 }), member('small', { capacity: 1 }));
    given(epochStarted(1), submitted('x'), assigned('x', { node: 'big' }), submitted('a'))
      .when(decideAssignments, at(T0, members))
      .then([assigned('a', { node: 'small' })]);
  });

  it('counts the load from the state, not from what members report', () => {
    const members = membersOf(member('n1', { load: 0 }), member('n2', { load: 9 }));
    given(epochStarted(1), submitted('x'), assigned('x', { node: 'n1' }), started(ref('x')), submitted('a'))
      .when(decideAssignments, at(T0, members))
      .then([assigned('a', { node: 'n2' })]);
  });

  it('never assigns to a draining member', () => {
    const members = membersOf(member('n1', { draining: true }), member('n2'));
    given(epochStarted(1), submitted('a'), submitted('b'), submitted('c'))
      .when(decideAssignments, at(T0, members))
      .then([assigned('a', { node: 'n2' }), assigned('b', { node: 'n2' })]);
  });

  it('never assigns to a full member, and leaves the rest pending', () => {
    const members = membersOf(member('n1', { capacity: 1 }), member('n2', { capacity: 0 }));
    given(epochStarted(1), submitted('x'), assigned('x', { node: 'n1' }), submitted('a'))
      .when(decideAssignments, at(T0, members))
      .thenNothing();
  });

  it('uses a member that just joined at once', () => {
    const busy = [
      epochStarted(1),
      submitted('x'),
      assigned('x', { node: 'n1' }),
      submitted('y'),
      assigned('y', { node: 'n1' }),
    ];
    const joined = membersOf(member('n1', { capacity: 2 }), member('new', { capacity: 2 }));
    given(...busy, submitted('a'))
      .when(decideAssignments, at(T0, joined))
      .then([assigned('a', { node: 'new' })]);
  });

  it('frees the slots of a previous incarnation of a member', () => {
    const members = membersOf(member('n1', { capacity: 1, incarnation: 2 }));
    given(epochStarted(1), submitted('old'), assigned('old', { node: 'n1', incarnation: 1 }), submitted('a'))
      .when(decideAssignments, at(T0, members))
      .then([assigned('a', { node: 'n1', incarnation: 2 })]);
  });

  it('assigns at most maxAssignments in one decision', () => {
    const members = membersOf(member('n1', { capacity: 10 }));
    given(epochStarted(1), submitted('a'), submitted('b'), submitted('c'))
      .when(decideAssignments, { ...at(T0, members), maxAssignments: 2 })
      .then([assigned('a'), assigned('b')]);
  });

  it('decides nothing for a leader whose epoch is not the latest', () => {
    given(epochStarted(1), epochStarted(2, 'n9'), submitted('a'))
      .when(decideAssignments, at(T0))
      .thenNothing();
    given(submitted('a')).when(decideAssignments, at(T0)).thenNothing();
  });

  it('writes the leader, its incarnation, the epoch and the time as meta', () => {
    const { events } = given(epochStarted(1), submitted('a')).when(decideAssignments, at(T0 + 42));
    expect(events[0]?.meta).toEqual({ node: 'n0', incarnation: 1, epoch: 1, at: T0 + 42 });
    expect(events[0]?.version).toBe(1);
  });
});
