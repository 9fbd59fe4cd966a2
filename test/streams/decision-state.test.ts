/**
 * The leader's decision state: its fold plus this term's appends not yet read back, evolved once each
 * while the fold stands still, and rebuilt from the fold once it moves.
 */
import { describe, expect, it } from 'vitest';
import {
  evolve,
  getTask,
  initialState,
  type TaskEvent,
  type TasksState,
} from '../../src/domain/task/index.ts';
import { createDecisionState } from '../../src/streams/decision-state.ts';
import { assigned, epochStarted, submitted } from '../domain/task/fixtures.ts';

/** A view whose fold the test moves by hand, and an evolve that counts its calls. */
function setup() {
  let fold: TasksState = [epochStarted(1), submitted('a'), submitted('b')].reduce(evolve, initialState());
  let position = 3;
  const view = { current: () => fold, position: () => position };
  let evolved = 0;
  const counting = (state: TasksState, event: TaskEvent) => {
    evolved += 1;
    return evolve(state, event);
  };
  return {
    decision: createDecisionState(view, counting),
    fold: () => fold,
    evolved: () => evolved,
    /** The fold reads `events` back, the last at `at`. */
    readBack: (at: number, ...events: TaskEvent[]) => {
      fold = events.reduce(evolve, fold);
      position = at;
    },
  };
}

describe('the decision state', () => {
  it('is the fold itself while nothing of this term is unfolded', () => {
    const { decision, readBack } = setup();
    readBack(4, submitted('c'));
    expect(getTask(decision.current(), 'c')?.status).toBe('pending');
    expect(decision.lastUnfolded()).toBeUndefined();
  });

  it('shows an append before the fold reads it back', () => {
    const { decision } = setup();
    decision.add(4, [assigned('a')]);
    expect(getTask(decision.current(), 'a')?.status).toBe('assigned');
    expect(decision.lastUnfolded()).toBe(4);
  });

  it('evolves each append once while the fold stands still', () => {
    const { decision, evolved } = setup();
    decision.add(4, [assigned('a')]);
    decision.current();
    decision.current();
    decision.add(5, [assigned('b')]);
    const state = decision.current();
    expect(evolved()).toBe(2);
    expect(getTask(state, 'b')?.status).toBe('assigned');
  });

  it('rebuilds on the fold once it moves, keeping the appends it has not read back', () => {
    const { decision, evolved, readBack } = setup();
    decision.add(4, [assigned('a')]);
    decision.add(5, [assigned('b')]);
    decision.current();
    readBack(4, assigned('a'));
    const state = decision.current();
    expect(evolved()).toBe(3); // a and b once, then b again on the new fold
    expect(getTask(state, 'a')?.status).toBe('assigned');
    expect(getTask(state, 'b')?.status).toBe('assigned');
    expect(decision.lastUnfolded()).toBe(5);
  });

  it('rebuilds when the fold moved with other writers’ events only', () => {
    const { decision, readBack } = setup();
    decision.add(5, [assigned('a')]);
    decision.current();
    readBack(4, submitted('c'));
    const state = decision.current();
    expect(getTask(state, 'c')?.status).toBe('pending');
    expect(getTask(state, 'a')?.status).toBe('assigned');
  });

  it('forgets appends the fold has read back', () => {
    const { decision, fold, readBack } = setup();
    decision.add(4, [assigned('a')]);
    readBack(4, assigned('a'));
    expect(decision.lastUnfolded()).toBeUndefined();
    expect(decision.current()).toBe(fold());
  });
});
