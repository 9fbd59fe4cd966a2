import { describe, expect, it } from 'vitest';
import { VipHoldersDetector } from '../../../src/replay/detectors/vip-holders.ts';
import { JournalScript } from '../seed-journals.ts';
import { detect, replaySteps } from '../steps.ts';

const T = 1_700_000_000_000;

function holders(bAddress: string, aReleaseAt: number) {
  const a = new JournalScript('a').boot(T, '0xa');
  a.add(T + 1_000, 'VipAcquired', { address: '10.0.0.9' }).add(aReleaseAt, 'VipReleased', {
    address: '10.0.0.9',
  });
  const b = new JournalScript('b').boot(T, '0xb');
  b.add(T + 3_000, 'VipAcquired', { address: bAddress });
  return replaySteps({ a: a.events, b: b.events });
}

describe('a VIP on two nodes', () => {
  it('reports overlapping VipAcquired→VipReleased intervals of one address, with the events', () => {
    const found = detect((sink) => new VipHoldersDetector(sink, 500), holders('10.0.0.9', T + 6_000));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      kind: 'vip-on-two-nodes',
      nodes: ['a', 'b'],
      at: T + 3_000,
      until: T + 6_000,
    });
    expect(found[0]?.message).toContain('both held the VIP 10.0.0.9 for 3.0 s');
    expect(found[0]?.evidence.map((item) => `${item.node} ${item.type}`)).toEqual([
      'a VipAcquired',
      'b VipAcquired',
      'a VipReleased',
    ]);
  });

  it('does not mix different addresses', () => {
    expect(detect((sink) => new VipHoldersDetector(sink, 500), holders('10.0.0.10', T + 6_000))).toEqual([]);
  });

  it('accepts a handover within the tolerance', () => {
    expect(detect((sink) => new VipHoldersDetector(sink, 500), holders('10.0.0.9', T + 3_400))).toEqual([]);
  });
});
