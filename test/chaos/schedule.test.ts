/**
 * Random chaos schedules: a function of their seed, never needing two networks at once (a cut link
 * and a slowed shared loopback need different stages), and exercising the staged faults.
 */
import { describe, expect, it } from 'vitest';
import { stageNeeds } from './chaos-stage.ts';
import { randomSchedule, type Schedule } from './schedule.ts';
import { seededRandom } from './seeded-random.ts';

const scheduleOf = (seed: number): Schedule => {
  const random = seededRandom(seed);
  return randomSchedule(random.fork('schedule'), random.int(3, 6));
};
const SEEDS = Array.from({ length: 400 }, (_, i) => 2_000 + i);

describe('a random schedule', () => {
  it('is the same for the same seed', () => {
    expect(scheduleOf(2_005)).toEqual(scheduleOf(2_005));
  });

  it('never needs two networks at once', () => {
    for (const seed of SEEDS) expect(() => stageNeeds(scheduleOf(seed)), `seed ${seed}`).not.toThrow();
  });

  it('now and then cuts a link, slows the loopback, fills a disk and expires a session on demand', () => {
    const kinds = new Set(
      SEEDS.flatMap((seed) =>
        scheduleOf(seed).steps.flatMap((step) =>
          step.faults.map((f) => (f.kind === 'expire-node' ? `expire-node ${f.how ?? 'pause'}` : f.kind)),
        ),
      ),
    );
    for (const kind of ['cut-node-link', 'loopback-latency', 'journal-disk-full', 'expire-node on-demand'])
      expect(kinds).toContain(kind);
  });
});

describe('the stage a schedule needs', () => {
  const withFaults = (
    ...kinds: ('cut-node-link' | 'loopback-latency' | 'journal-disk-full')[]
  ): Schedule => ({
    seed: undefined,
    steps: kinds.map((kind) => ({
      gapMs: 0,
      faults: [
        kind === 'loopback-latency'
          ? { kind, delayMs: 10, durationMs: 10 }
          : kind === 'cut-node-link'
            ? { kind, target: 'leader' as const, durationMs: 10 }
            : { kind, target: 'runner' as const },
      ],
    })),
  });

  it('is the host unless a fault needs namespaces or disks', () => {
    expect(stageNeeds(withFaults())).toEqual({ network: 'host', disks: false });
    expect(stageNeeds(withFaults('journal-disk-full'))).toEqual({ network: 'host', disks: true });
    expect(stageNeeds(withFaults('cut-node-link'))).toEqual({ network: 'node-namespaces', disks: false });
    expect(stageNeeds(withFaults('loopback-latency', 'journal-disk-full'))).toEqual({
      network: 'shared-namespace',
      disks: true,
    });
  });

  it('is the network the schedule asks for when no fault needs another', () => {
    expect(stageNeeds({ ...withFaults(), network: 'node-namespaces' })).toEqual({
      network: 'node-namespaces',
      disks: false,
    });
    expect(() => stageNeeds({ ...withFaults('loopback-latency'), network: 'node-namespaces' })).toThrow(
      /cannot run on node-namespaces/,
    );
  });

  it('cannot both cut a link and slow the shared loopback', () => {
    expect(() => stageNeeds(withFaults('cut-node-link', 'loopback-latency'))).toThrow(/different stages/);
  });
});
