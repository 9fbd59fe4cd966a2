/**
 * Times are formatted millions of times per replay, so clock-format.ts remembers the last second;
 * that must never change a result: each function equals formatting a fresh Date, in any order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clockTime, dayOf, isoTime } from '../../../src/replay/time/clock-format.ts';

function byDate(at: number): [string, string, string] {
  const date = new Date(at);
  const iso = Number.isNaN(date.getTime()) ? '-' : date.toISOString();
  return [iso, iso === '-' ? iso : iso.slice(11, 23), iso === '-' ? iso : iso.slice(0, 10)];
}

const LIMIT = 8.64e15;
const time = fc.oneof(
  fc.integer({ min: 1_704_067_200_000, max: 1_704_067_205_000 }),
  fc.integer({ min: -LIMIT - 2_000, max: -LIMIT + 2_000 }),
  fc.integer({ min: LIMIT - 2_000, max: LIMIT + 2_000 }),
  fc.integer({ min: -3_000, max: 3_000 }),
  fc.integer({ min: 253_402_300_799_000, max: 253_402_300_801_000 }),
  fc.maxSafeInteger(),
  fc.double(),
);

describe('formatting replay times', () => {
  it('gives what a fresh Date gives, for times in any order, valid or not', () => {
    fc.assert(
      fc.property(fc.array(time, { maxLength: 50 }), (times) => {
        for (const at of times) expect([isoTime(at), clockTime(at), dayOf(at)]).toEqual(byDate(at));
      }),
      { numRuns: 500 },
    );
  });

  it('formats the same second again after another one', () => {
    const at = Date.UTC(2024, 0, 1, 12, 0, 0, 5);
    expect([isoTime(at), isoTime(at + 1_000), isoTime(at + 1)]).toEqual([
      '2024-01-01T12:00:00.005Z',
      '2024-01-01T12:00:01.005Z',
      '2024-01-01T12:00:00.006Z',
    ]);
  });
});
