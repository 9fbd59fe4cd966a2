import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTOR_SETTINGS } from '../../../src/replay/detectors/detector.ts';
import { RestartStormDetector } from '../../../src/replay/detectors/restart-storm.ts';
import { at001, JournalScript, SEED_001_NODES, seed001Journals } from '../seed-journals.ts';
import { detect, replaySteps } from '../steps.ts';

const T = 1_700_000_000_000;

function seed001() {
  return replaySteps(Object.fromEntries(seed001Journals()));
}

describe('restart storms', () => {
  it('seed 001: finds the ~7 s restarts on each node and the ping-pong across the three', () => {
    const found = detect((sink) => new RestartStormDetector(sink, DEFAULT_DETECTOR_SETTINGS), seed001());
    const cluster = found.find((finding) => finding.kind === 'restart-storm-cluster');
    expect(cluster?.nodes).toEqual([...SEED_001_NODES]);
    expect(cluster?.message).toMatch(
      /^restart storm across node-19-17, node-19-18, node-19-19: 9 restarts in 19 s/,
    );
    expect(cluster?.message).toContain(
      'leadership went node-19-17 → node-19-18 → node-19-19 → node-19-17 → node-19-18 → node-19-19 → node-19-17 → node-19-18',
    );
    expect(cluster?.evidence.map((item) => item.type)).toEqual(Array(9).fill('ProcessStarted'));
    expect(cluster?.at).toBe(at001('17:51:08.100') - 20);
    const perNode = found.filter((finding) => finding.kind === 'restart-storm');
    expect(perNode.map((finding) => [finding.nodes, finding.evidence.length]).sort()).toEqual([
      [['node-19-17'], 3],
      [['node-19-18'], 3],
      [['node-19-19'], 3],
    ]);
  });

  it('takes the threshold as configured', () => {
    const strict = { ...DEFAULT_DETECTOR_SETTINGS, stormCount: 4 };
    const found = detect((sink) => new RestartStormDetector(sink, strict), seed001());
    expect(found.map((finding) => finding.kind)).toEqual(['restart-storm-cluster']);
  });

  it('counts in-process restarts after session losses on one node, and no cluster storm for one node', () => {
    const n = new JournalScript('n1').boot(T, '0x1');
    for (let i = 0; i < 3; i++) {
      const at = T + 1_000 + i * 10_000;
      n.add(at, 'SessionLost', { reason: 'expired' });
      n.teardown(at + 1, 'session-lost');
      n.add(at + 20, 'RestartScheduled', { attempt: i + 1, backoffMs: 500, budgetRemaining: 4 - i });
      n.incarnation += 1;
      n.add(at + 600, 'ServicesStarted', { incarnation: n.incarnation });
      n.add(at + 601, 'SessionConnecting', { connectString: 'zk1:2181' });
      n.add(at + 610, 'SessionConnected', {
        sessionId: `0x${i + 2}`,
        negotiatedTimeoutMs: 6_000,
        server: 'zk1:2181',
      });
    }
    const found = detect(
      (sink) => new RestartStormDetector(sink, DEFAULT_DETECTOR_SETTINGS),
      replaySteps({ n1: n.events }),
    );
    expect(found.map((finding) => [finding.kind, finding.nodes])).toEqual([['restart-storm', ['n1']]]);
    expect(found[0]?.evidence.map((item) => item.type)).toEqual(Array(3).fill('RestartScheduled'));
  });

  it('does not count the first process of a journal, nor two restarts a minute apart', () => {
    const n = new JournalScript('n1').boot(T, '0x1');
    n.teardown(T + 1_000, 'fatal').boot(T + 2_000, '0x2');
    n.teardown(T + 70_000, 'fatal').boot(T + 71_000, '0x3');
    n.teardown(T + 140_000, 'fatal').boot(T + 141_000, '0x4');
    expect(
      detect(
        (sink) => new RestartStormDetector(sink, DEFAULT_DETECTOR_SETTINGS),
        replaySteps({ n1: n.events }),
      ),
    ).toEqual([]);
  });
});
