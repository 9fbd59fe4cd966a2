import { describe, expect, it } from 'vitest';
import { TwoLeadersDetector } from '../../../src/replay/detectors/two-leaders.ts';
import { JournalScript } from '../seed-journals.ts';
import { detect, replaySteps } from '../steps.ts';

const T = 1_700_000_000_000;

/**
 * Node a leads epoch 1 from T+1 s and acts as leader (journals) at each of `aActs`; node b wins epoch
 * 2 at `bAt`; a loses its session at `aLossAt`.
 */
function leaders(bAt: number, aLossAt?: number, aActs: readonly number[] = [T + 6_000]) {
  const a = new JournalScript('a')
    .boot(T, '0xa')
    .candidate(T + 100, 1)
    .lead(T + 1_000, 1);
  for (const at of aActs) a.add(at, 'HealthChecked', { probe: 'p', ok: true, detail: '' });
  const b = new JournalScript('b')
    .boot(T, '0xb')
    .candidate(T + 100, 2)
    .lead(bAt, 2);
  if (aLossAt !== undefined) a.add(aLossAt, 'SessionLost', { reason: 'expired' });
  b.add(T + 20_000, 'HealthChecked', { probe: 'p', ok: true, detail: '' });
  return replaySteps({ a: a.events, b: b.events });
}

describe('two leaders at once', () => {
  it('reports two nodes leading by their own journals for longer than the tolerance, with the events', () => {
    const found = detect(
      (sink) => new TwoLeadersDetector(sink, 1_000),
      leaders(T + 5_000, T + 9_000, [T + 5_500]),
    );
    expect(found).toHaveLength(1);
    const [finding] = found;
    expect(finding).toMatchObject({
      kind: 'two-leaders',
      severity: 'error',
      nodes: ['a', 'b'],
      at: T + 5_500,
    });
    expect(finding?.until).toBe(T + 9_000);
    expect(finding?.message).toContain(
      'a (still leading epoch 1 after a silence) and b (epoch 2) both led for 3.5 s',
    );
    expect(finding?.evidence.map((item) => [item.node, item.type])).toEqual([
      ['b', 'LeadershipAcquired'],
      ['a', 'HealthChecked'],
      ['a', 'SessionLost'],
    ]);
  });

  it('takes a leader that fell silent before the new term (killed, frozen) to have led until its last event', () => {
    expect(detect((sink) => new TwoLeadersDetector(sink, 1_000), leaders(T + 5_000, T + 9_000, []))).toEqual(
      [],
    );
    expect(detect((sink) => new TwoLeadersDetector(sink, 1_000), leaders(T + 5_000, undefined, []))).toEqual(
      [],
    );
  });

  it('ignores a handover that overlaps by less than the tolerance (clock skew)', () => {
    expect(detect((sink) => new TwoLeadersDetector(sink, 1_000), leaders(T + 5_000, T + 5_800))).toEqual([]);
  });

  it('reports an overlap still open when the inputs end', () => {
    const found = detect(
      (sink) => new TwoLeadersDetector(sink, 1_000),
      leaders(T + 5_000, undefined, [T + 6_000, T + 20_000]),
    );
    expect(found.map((finding) => finding.message)).toEqual([
      expect.stringContaining('still so when the inputs end'),
    ]);
    expect(found[0]?.until).toBe(T + 20_000);
  });

  it('says nothing when leadership moves cleanly', () => {
    expect(detect((sink) => new TwoLeadersDetector(sink, 1_000), leaders(T + 5_000, T + 4_000))).toEqual([]);
  });
});
