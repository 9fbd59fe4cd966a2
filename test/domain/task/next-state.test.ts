import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evolve, initialState, TASK_STATUSES, type TasksState } from '../../../src/domain/task/index.ts';
import { copyOfCounts } from '../../../src/domain/task/indexes.ts';
import { nextState } from '../../../src/domain/task/next-state.ts';
import { historyArb } from './arbitraries.ts';
import { epochStarted } from './fixtures.ts';

const KEYS = [...Object.keys(initialState()), 'leader'] as (keyof TasksState)[];

/** A state folded from some events, and changes taken from another one. */
const arb = fc.record({
  from: historyArb(40),
  other: historyArb(40),
  keys: fc.subarray(KEYS),
});

describe('nextState', () => {
  it('is the spread it stands for: same fields, same values, same key order', () => {
    fc.assert(
      fc.property(arb, ({ from, other, keys }) => {
        const state = from.reduce(evolve, initialState());
        const source = other.reduce(evolve, initialState());
        const changes: Partial<Record<keyof TasksState, unknown>> = {};
        for (const key of keys) if (key in source) changes[key] = source[key];
        const next = nextState(state, changes as Partial<TasksState>);
        const spread = { ...state, ...changes };
        expect(next).toStrictEqual(spread);
        expect(Object.keys(next)).toEqual(Object.keys(spread));
        expect(next.indexes).toBe(spread.indexes);
      }),
      { numRuns: 300 },
    );
  });

  it('lists every field of a state', () => {
    const led = evolve(initialState(), epochStarted(1));
    expect(Object.keys(nextState(led, {}))).toEqual(KEYS);
    expect(Object.keys(nextState(initialState(), {}))).toEqual(Object.keys(initialState()));
  });
});

describe('copyOfCounts', () => {
  it('is the spread of the counts: every status, in the same order', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 9, maxLength: 9 }), (values) => {
        const counts = Object.fromEntries(TASK_STATUSES.map((status, i) => [status, values[i] ?? 0]));
        const copy = copyOfCounts(counts as Record<(typeof TASK_STATUSES)[number], number>);
        expect(copy).toStrictEqual({ ...counts });
        expect(Object.keys(copy)).toEqual(TASK_STATUSES);
      }),
    );
  });
});
