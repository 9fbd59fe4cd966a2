import { describe, expect, it } from 'vitest';
import {
  cursorAfter,
  endOfSequence,
  MAX_EVENTS_PER_BATCH,
  MAX_SEQUENCE,
  positionOf,
  sequenceOf,
} from '../../../../src/infra/log/zookeeper/positions.ts';

describe('zookeeper log positions', () => {
  it('reads as "batch sequence, then event number": 12 000 003 is batch 12, third event', () => {
    expect(positionOf(12, 2)).toBe(12_000_003);
    expect(sequenceOf(12_000_003)).toBe(12);
    expect(positionOf(0, 0)).toBe(1);
  });

  it('strictly grows within a batch and from the last event of a batch to the first of the next', () => {
    expect(positionOf(7, MAX_EVENTS_PER_BATCH - 1)).toBeLessThan(positionOf(8, 0));
    expect(positionOf(7, MAX_EVENTS_PER_BATCH - 1)).toBe(endOfSequence(7));
    expect(sequenceOf(endOfSequence(7))).toBe(7);
  });

  it('stays exact at the largest sequence ZooKeeper hands out', () => {
    const last = positionOf(MAX_SEQUENCE, MAX_EVENTS_PER_BATCH - 1);
    expect(Number.isSafeInteger(last)).toBe(true);
    expect(sequenceOf(last)).toBe(MAX_SEQUENCE);
  });

  it('reads from the start for an absent, negative or unusable cursor, and floors fractions', () => {
    expect([undefined, -5, Number.NaN].map(cursorAfter)).toEqual([0, 0, 0]);
    expect(cursorAfter(1_000_001.7)).toBe(1_000_001);
  });
});
