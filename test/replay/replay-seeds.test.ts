/**
 * The two seed incidents, replayed end to end from journals on disk as engineers would: seed 000's
 * double teardown, seed 001's restart storm across three nodes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replay, replayJson, type TempDir, tempDir, writeJournal } from './replay-fixture.ts';
import { at000, SEED_000_NODE, SEED_001_NODES, seed000Journal, seed001Journals } from './seed-journals.ts';

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(() => dir.remove());

describe('seed 000 replayed from its journal', () => {
  it('names the teardown after close and the session loss after the stall, with file and line', async () => {
    const file = await writeJournal(dir.path, SEED_000_NODE, seed000Journal());
    const { report, code } = await replayJson({ inputs: [file], failOnAnomaly: true });
    expect(code).toBe(1);
    expect(report.anomalies.map((anomaly) => anomaly.kind)).toEqual([
      'session-loss-after-stall',
      'shutdown-twice',
      'teardown-step-after-close',
      'session-closed-twice',
      'session-event-after-close',
    ]);
    const afterClose = report.anomalies.find((anomaly) => anomaly.kind === 'teardown-step-after-close');
    expect(afterClose?.time).toBe(new Date(at000('01:45:07.819953')).toISOString());
    expect(afterClose?.evidence.at(-1)?.location).toEqual({
      source: file,
      line: 31,
      offset: expect.any(Number),
    });
    expect(report.nodes.map((node) => [node.node, node.status.lifecycle, node.foldAnomalies])).toEqual([
      [SEED_000_NODE, 'stopped', 4],
    ]);
  });

  it('reads like the seed: the loss, the teardown steps, the ignored second path', async () => {
    await writeJournal(dir.path, SEED_000_NODE, seed000Journal());
    const { stdout } = await replay({ inputs: [dir.path] });
    expect(stdout).toContain(
      'session lost (expired) 1.6 s after the connection dropped; suspicion timer was 200 ms',
    );
    expect(stdout).toContain('teardown step zk-close completed (1 ms)');
    expect(stdout).toMatch(/TeardownStepStarted +teardown step zk-close started ⚠ teardown-step-after-close/);
  });
});

describe('seed 001 replayed from three journals', () => {
  it('finds the restart storm across the three nodes and on each, and nothing the fold refused', async () => {
    for (const [node, events] of seed001Journals()) await writeJournal(dir.path, node, events);
    const { report } = await replayJson({ inputs: [dir.path] });
    expect(report.summary.anomaliesByKind).toEqual({ 'restart-storm': 3, 'restart-storm-cluster': 1 });
    expect(report.nodes.map((node) => [node.node, node.foldAnomalies, node.status.incarnation])).toEqual(
      SEED_001_NODES.map((node) => [node, 0, 4]),
    );
    expect(report.skew.nodes.map((node) => node.offsetMs)).toEqual([0, 40, -20]);
  });
});
