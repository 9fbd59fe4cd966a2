/**
 * What a leader decides on: its fold of the task log plus this term's appends the fold has not read
 * back yet (they are in the log already: journaled, then folded here for the decision only).
 *
 * Why kept apart and cached: a step decides once or twice, and a new step follows each batch the
 * fold announces, while this term's last appends are still on their way back. Evolving them onto the
 * fold anew at each call did the same work again and again (an eighth of the leader's fold time in
 * the latency profile). The evolved state is kept while the fold has not moved, and only appends
 * added since are evolved onto it.
 */
import { evolve, type TaskEvent, type TasksState } from '../domain/task/index.ts';
import type { TaskView } from './task-view.ts';

export interface DecisionState {
  /** Records an append of this term at `position`, not yet folded by the view. */
  add(position: number, events: readonly TaskEvent[]): void;
  /** The fold with every recorded append it has not read back evolved onto it. */
  current(): TasksState;
  /** Position of the last append recorded that the fold has not read back, if any. */
  lastUnfolded(): number | undefined;
}

interface Appended {
  readonly position: number;
  readonly events: readonly TaskEvent[];
}

/** Decision state over `view`; `evolveEvent` is the domain's evolve (a parameter for tests). */
export function createDecisionState(
  view: Pick<TaskView, 'current' | 'position'>,
  evolveEvent: (state: TasksState, event: TaskEvent) => TasksState = evolve,
): DecisionState {
  let unfolded: Appended[] = [];
  // The fold these were evolved onto, how many of `unfolded` are in `state`, and the result.
  let base: TasksState | undefined;
  let applied = 0;
  let state: TasksState | undefined;

  /** Drops what the fold has read back (the state evolved from them is then rebuilt). */
  const prune = (): void => {
    const folded = view.position();
    let gone = 0;
    while (gone < unfolded.length && (unfolded[gone] as Appended).position <= folded) gone++;
    if (gone === 0) return;
    unfolded = unfolded.slice(gone);
    state = undefined;
  };

  return {
    add: (position, events) => {
      unfolded.push({ position, events });
    },
    current: () => {
      prune();
      const fold = view.current();
      if (base !== fold || state === undefined) {
        base = fold;
        applied = 0;
        state = fold;
      }
      for (; applied < unfolded.length; applied++)
        for (const event of (unfolded[applied] as Appended).events) state = evolveEvent(state, event);
      return state;
    },
    lastUnfolded: () => {
      prune();
      return unfolded[unfolded.length - 1]?.position;
    },
  };
}
