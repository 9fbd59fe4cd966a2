import { describe, expect, it } from 'vitest';
import { StallBeforeLossDetector } from '../../../src/replay/detectors/stall-before-loss.ts';
import { JournalScript } from '../seed-journals.ts';
import { detect, replaySteps } from '../steps.ts';

const T = 1_700_000_000_000;

function stallThenLoss(stallAt: number, lossAt: number) {
  const n = new JournalScript('n1').boot(T, '0x1');
  n.add(stallAt, 'EventLoopStalled', { delayMs: 2_689 });
  n.add(lossAt - 1_000, 'SessionSuspended', { suspicionMs: 600, deadline: lossAt - 400 });
  n.add(lossAt, 'SessionLost', { reason: 'suspicion-timeout' });
  return replaySteps({ n1: n.events });
}

describe('session loss after an event-loop stall', () => {
  it('reports a loss within the window after a stall, with both events', () => {
    const found = detect(
      (sink) => new StallBeforeLossDetector(sink, 10_000),
      stallThenLoss(T + 10_000, T + 11_500),
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      kind: 'session-loss-after-stall',
      nodes: ['n1'],
      at: T + 10_000,
      until: T + 11_500,
    });
    expect(found[0]?.message).toBe(
      'session lost (suspicion-timeout) 1.5 s after a 2.7 s event-loop stall: heartbeats could not be sent while the loop was blocked',
    );
    expect(found[0]?.evidence.map((item) => item.type)).toEqual(['EventLoopStalled', 'SessionLost']);
  });

  it('leaves a loss long after the stall alone', () => {
    expect(
      detect((sink) => new StallBeforeLossDetector(sink, 10_000), stallThenLoss(T + 10_000, T + 60_000)),
    ).toEqual([]);
  });
});
