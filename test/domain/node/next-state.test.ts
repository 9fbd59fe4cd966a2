import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold, initialState, type NodeState, nextState } from '../../../src/domain/node/index.ts';
import { nodeEventArb } from './arbitraries.ts';
import { testConfig } from './journal.ts';

const config = testConfig();
const KEYS = Object.keys(initialState(config)) as (keyof NodeState)[];

/** A state folded from some events, and changes taken from another one. */
const arb = fc.record({
  from: fc.array(nodeEventArb, { maxLength: 30 }),
  other: fc.array(nodeEventArb, { maxLength: 30 }),
  keys: fc.subarray(KEYS),
});

describe('nextState', () => {
  it('is the spread it stands for: same fields, same values, same key order', () => {
    fc.assert(
      fc.property(arb, ({ from, other, keys }) => {
        const state = fold(initialState(config), from);
        const source = fold(initialState(config), other);
        const changes: Partial<Record<keyof NodeState, unknown>> = {};
        for (const key of keys) changes[key] = source[key];
        const next = nextState(state, changes as Partial<NodeState>);
        const spread = { ...state, ...changes };
        expect(next).toStrictEqual(spread);
        expect(Object.keys(next)).toEqual(Object.keys(spread));
      }),
      { numRuns: 300 },
    );
  });

  it('lists every field of a state', () => {
    expect(Object.keys(nextState(initialState(config), {}))).toEqual(KEYS);
  });
});
