/**
 * The state hash taken a slice at a time is the very hash taken at once: checkpoints journaled live
 * with one are checked by replay with the other.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/domain/node/snapshot.ts';
import { evolve, initialState, type TasksState } from '../../src/domain/task/index.ts';
import { canonicalPieces, stateHash, stateHashInSlices } from '../../src/infra/state-hash.ts';
import { assigned, epochStarted, ref, started, submitted, succeeded } from '../domain/task/fixtures.ts';

/** Slices as small as they come: a turn after every look at the clock. */
const everyCheck = { sliceMs: 0, yieldTurn: () => Promise.resolve() };

/** Plain values the states are made of, with the odd ones canonical JSON must agree on. */
const stateLike = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, undefined, true, false, 0, -0, Number.NaN, Number.POSITIVE_INFINITY, 1e21),
    fc.double(),
    fc.string(),
    fc.array(tie('value')),
    fc.dictionary(
      fc.oneof(fc.string(), fc.nat().map(String), fc.constantFrom('__proto__', '4294967295', '01', '-1')),
      tie('value'),
    ),
    fc
      .array(fc.tuple(fc.oneof(fc.string(), fc.nat().map(String)), tie('value')))
      .map((entries) => new Map(entries)),
  ),
})).value;

function tasksState(count: number): TasksState {
  let state = evolve(initialState(), epochStarted(1));
  for (let i = 0; i < count; i++) {
    const id = `t-${i}`;
    state = evolve(state, submitted(id, { payload: { i, nested: { at: i % 7 } } }));
    if (i % 3 > 0) state = evolve(state, assigned(id));
    if (i % 3 > 1) state = evolve(state, started(ref(id)));
    if (i % 3 > 1) state = evolve(state, succeeded(ref(id), { i }));
  }
  return state;
}

describe('a state hashed in slices', () => {
  it('gives the canonical JSON text piece by piece, for any plain value', () => {
    fc.assert(
      fc.property(stateLike, (value) => {
        expect([...canonicalPieces(value)].join('')).toBe(JSON.stringify(canonicalJson(value)));
      }),
      { numRuns: 500 },
    );
  });

  it('hashes as stateHash does, for any plain value', async () => {
    await fc.assert(
      fc.asyncProperty(stateLike, async (value) => {
        const expected = createHash('sha256')
          .update(JSON.stringify(canonicalJson(value)))
          .digest('hex');
        expect(stateHash(value)).toBe(expected.slice(0, 16));
        expect(await stateHashInSlices(value, everyCheck)).toBe(stateHash(value));
      }),
      { numRuns: 200 },
    );
  });

  it('hashes a fold of thousands of tasks as stateHash does, giving the event loop turns meanwhile', async () => {
    const state = tasksState(3_000);
    let turns = 0;
    const hash = await stateHashInSlices(state, {
      sliceMs: 0,
      yieldTurn: () => {
        turns++;
        return new Promise((resolve) => setImmediate(resolve));
      },
    });
    expect(hash).toBe(stateHash(state));
    expect(turns).toBeGreaterThan(10);
  });

  it('hashes as stateHash does with a memo kept from an earlier state of the same fold', async () => {
    const memo = new WeakMap<object, string>();
    const before = tasksState(300);
    expect(await stateHashInSlices(before, { ...everyCheck, memo })).toBe(stateHash(before));
    const after = evolve(evolve(before, submitted('t-new')), assigned('t-0', { attempt: 2 }));
    expect(await stateHashInSlices(after, { ...everyCheck, memo })).toBe(stateHash(after));
    expect(stateHash(after)).not.toBe(stateHash(before));
  });

  it('stops at its next slice once aborted', async () => {
    const controller = new AbortController();
    const hashing = stateHashInSlices(tasksState(500), {
      sliceMs: 0,
      signal: controller.signal,
      yieldTurn: () => {
        controller.abort(new Error('stopped'));
        return Promise.resolve();
      },
    });
    await expect(hashing).rejects.toThrow('stopped');
  });
});
