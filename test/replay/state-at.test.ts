import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClusterPaths, T, writeCluster } from './cluster-scenario.ts';
import { replay, replayJson, type TempDir, tempDir } from './replay-fixture.ts';

let dir: TempDir;
let paths: ClusterPaths;
beforeAll(async () => {
  dir = await tempDir();
  paths = await writeCluster(dir.path);
});
afterAll(() => dir.remove());

describe('the state at a moment (--at)', () => {
  it('gives members, leader and epoch, the VIP holder, and each task with where it runs', async () => {
    const { report } = await replayJson({
      inputs: [paths.journals],
      log: paths.taskLog,
      at: new Date(T + 4_000).toISOString(),
    });
    const state = report.state;
    expect(state?.at).toBe(T + 4_000);
    expect(state?.cluster).toEqual({
      leaders: [{ node: 'n1', epoch: 1 }],
      vipHolders: ['n1'],
      members: ['n1', 'n2'],
      taskLog: { epoch: 1, leader: 'n1' },
    });
    expect(
      state?.nodes.map((node) => [node.node, node.role, node.leader, node.epoch, node.vipHolder]),
    ).toEqual([
      ['n1', 'leader', 'n1', 1, 'n1'],
      ['n2', 'candidate', 'n1', 1, null],
    ]);
    expect(state?.tasks).toEqual([
      {
        taskId: 'a',
        type: 'noop',
        status: 'running',
        attempt: 1,
        maxAttempts: 3,
        submittedAt: T + 2_000,
        node: 'n2',
        incarnation: 1,
        epoch: 1,
      },
      {
        taskId: 'b',
        type: 'noop',
        status: 'running',
        attempt: 1,
        maxAttempts: 3,
        submittedAt: T + 3_000,
        node: 'n1',
        incarnation: 1,
        epoch: 1,
      },
    ]);
    expect(state?.taskCounts).toMatchObject({ running: 2, succeeded: 0 });
  });

  it('folds only up to the moment: before the leader, nobody leads and no task exists', async () => {
    const { report } = await replayJson({
      inputs: [paths.journals],
      log: paths.taskLog,
      at: String(T + 500),
    });
    expect(report.state?.cluster).toMatchObject({ leaders: [], vipHolders: [], members: ['n1', 'n2'] });
    expect(report.state?.nodes.map((node) => node.role)).toEqual(['candidate', 'candidate']);
    expect(report.state?.tasks).toEqual([]);
  });

  it('takes a time relative to the inputs and shows the task that finished', async () => {
    const { report } = await replayJson({ inputs: [paths.journals], log: paths.taskLog, at: 'start+6s' });
    expect(report.state?.at).toBe(T + 6_000);
    expect(report.state?.tasks.map((task) => [task.taskId, task.status])).toEqual([
      ['a', 'succeeded'],
      ['b', 'running'],
    ]);
  });

  it('prints the state in the text output', async () => {
    const { stdout, code } = await replay({
      inputs: [paths.journals],
      log: paths.taskLog,
      at: new Date(T + 4_000).toISOString(),
      timeline: false,
    });
    expect(code).toBe(0);
    expect(stdout).toContain(`── state at ${new Date(T + 4_000).toISOString()} ──`);
    expect(stdout).toContain(`leader: n1 (epoch 1)   VIP: n1   members: n1, n2`);
    expect(stdout).toContain('    a  running  attempt 1/3 on n2 (incarnation 1, epoch 1)');
  });
});
