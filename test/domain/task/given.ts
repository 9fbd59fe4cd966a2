/**
 * given(events).when(decide, input).then(events) and given(events).thenTask(...): the emmett shape of
 * a decider test, over the task domain. `then` compares type and data; meta is checked where it matters.
 */
import { expect } from 'vitest';
import type { Anomaly } from '../../../src/domain/event.ts';
import {
  evolve,
  getTask,
  initialState,
  type TaskEvent,
  type TasksState,
} from '../../../src/domain/task/index.ts';

export interface Given {
  readonly state: TasksState;
  /** Runs a decision on the folded state. */
  when<I>(decide: (input: I, state: TasksState) => readonly TaskEvent[], input: I): When;
  /** Asserts on the whole folded state. */
  thenState(check: (state: TasksState) => void): void;
  /** Asserts that the task holds (at least) these fields. */
  thenTask(taskId: string, expected: Readonly<Record<string, unknown>>): void;
  /** Asserts that the last anomaly is of this kind and returns it. */
  thenAnomaly(kind: string): Anomaly;
}

export interface When {
  readonly events: readonly TaskEvent[];
  /** Never awaited: `then` is the emmett name for "the decision returns these events". */
  then(expected: readonly TaskEvent[]): void;
  thenNothing(): void;
}

/** Folds `events` from the initial state. */
export function given(...events: readonly TaskEvent[]): Given {
  const state = events.reduce(evolve, initialState());
  return {
    state,
    when(decide, input) {
      const events = decide(input, state);
      return {
        events,
        // biome-ignore lint/suspicious/noThenProperty: see When.then.
        then(expected) {
          expect(events.map(typeAndData)).toEqual(expected.map(typeAndData));
        },
        thenNothing() {
          expect(events).toEqual([]);
        },
      };
    },
    thenState(check) {
      check(state);
    },
    thenTask(taskId, expected) {
      expect(getTask(state, taskId)).toMatchObject(expected);
    },
    thenAnomaly(kind) {
      const last = state.anomalies.at(-1);
      expect(last?.kind).toBe(kind);
      return last as Anomaly;
    },
  };
}

function typeAndData(event: TaskEvent): { type: string; data: unknown } {
  return { type: event.type, data: event.data };
}

/** Folds `events` onto `state`. */
export function fold(state: TasksState, events: readonly TaskEvent[]): TasksState {
  return events.reduce(evolve, state);
}
