import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, jitterFor } from '../../../src/domain/task/index.ts';

const policy = { initialMs: 1_000, multiplier: 2, maxMs: 60_000 };

describe('backoffDelay', () => {
  it('grows exponentially from initialMs with the attempt that failed', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(policy, attempt, 1 - Number.EPSILON))).toEqual([
      1_000, 2_000, 4_000, 8_000,
    ]);
  });

  it('is capped at maxMs however many attempts failed', () => {
    expect(backoffDelay(policy, 50, 0.999)).toBeLessThanOrEqual(60_000);
    expect(backoffDelay(policy, 10_000, 0.999)).toBeLessThanOrEqual(60_000);
  });

  it('never waits less than half of the capped delay (equal jitter)', () => {
    expect(backoffDelay(policy, 1, 0)).toBe(500);
    expect(backoffDelay(policy, 100, 0)).toBe(30_000);
  });

  it('treats a jitter outside [0, 1) as its nearest bound, and NaN as 0', () => {
    expect(backoffDelay(policy, 1, -3)).toBe(500);
    expect(backoffDelay(policy, 1, Number.NaN)).toBe(500);
    expect(backoffDelay(policy, 1, 7)).toBe(1_000);
  });

  it('stays within [min(initial, max)/2, max] for any policy, attempt and jitter', () => {
    const policies = fc.record({
      initialMs: fc.integer({ min: 0, max: 3_600_000 }),
      multiplier: fc.double({ min: 1, max: 10, noNaN: true }),
      maxMs: fc.integer({ min: 0, max: 86_400_000 }),
    });
    fc.assert(
      fc.property(
        policies,
        fc.integer({ min: 1, max: 1_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true }),
        (p, attempt, jitter) => {
          const delay = backoffDelay(p, attempt, jitter);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeLessThanOrEqual(p.maxMs);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(Math.min(p.initialMs, p.maxMs) / 2));
        },
      ),
    );
  });

  it('never shrinks from one attempt to the next at the same jitter', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true }),
        (attempt, jitter) => {
          expect(backoffDelay(policy, attempt + 1, jitter)).toBeGreaterThanOrEqual(
            backoffDelay(policy, attempt, jitter),
          );
        },
      ),
    );
  });
});

describe('jitterFor', () => {
  it('spreads one random number over tasks, in [0, 1), the same every time', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, maxExcluded: true }), fc.string(), (jitter, taskId) => {
        const spread = jitterFor(jitter, taskId);
        expect(spread).toBeGreaterThanOrEqual(0);
        expect(spread).toBeLessThan(1);
        expect(jitterFor(jitter, taskId)).toBe(spread);
      }),
    );
  });

  it('gives tasks decided together different jitters', () => {
    const spreads = new Set(['t1', 't2', 't3', 't4'].map((taskId) => jitterFor(0.5, taskId)));
    expect(spreads.size).toBe(4);
  });
});
