import { describe, expect, it } from 'vitest';
import { ClockSkew } from '../../src/replay/clock-skew.ts';
import { member } from '../domain/task/fixtures.ts';
import { JournalScript, SEED_001_SKEW, seed001Journals } from './seed-journals.ts';
import { replaySteps } from './steps.ts';

const T = 1_700_000_000_000;

function estimate(journals: Record<string, JournalScript['events']>) {
  const skew = new ClockSkew();
  for (const step of replaySteps(journals).steps) skew.observe(step);
  return skew.result(Object.keys(journals));
}

describe('clock skew', () => {
  it('finds each node’s offset from the leader changes every node saw (seed 001)', () => {
    const result = estimate(Object.fromEntries(seed001Journals()));
    expect(result.observations).toBe(9);
    expect(result.maxSpreadMs).toBe(63);
    expect(Object.fromEntries(result.nodes.map((node) => [node.node, node.offsetMs]))).toEqual(SEED_001_SKEW);
  });

  it('uses membership changes too', () => {
    const journals: Record<string, JournalScript['events']> = {};
    for (const [node, offset] of [
      ['a', 0],
      ['b', 250],
      ['c', 0],
    ] as const) {
      const script = new JournalScript(node, offset).boot(T, `0x${node}`);
      script.add(T + 1_000, 'MembersObserved', { members: [member('a'), member('b')] });
      script.add(T + 5_000, 'MembersObserved', { members: [member('a'), member('b'), member('c')] });
      journals[node] = script.events;
    }
    const result = estimate(journals);
    expect(result.observations).toBe(2);
    expect(result.nodes).toEqual([
      { node: 'a', offsetMs: 0, samples: 2 },
      { node: 'b', offsetMs: 250, samples: 2 },
      { node: 'c', offsetMs: 0, samples: 2 },
    ]);
  });

  it('says it cannot tell without a change two nodes saw', () => {
    const result = estimate({ a: new JournalScript('a').boot(T, '0xa').events });
    expect(result).toMatchObject({
      observations: 0,
      maxSpreadMs: null,
      nodes: [{ node: 'a', offsetMs: null, samples: 0 }],
    });
  });
});
