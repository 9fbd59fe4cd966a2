/**
 * `--log zk://host:port/<cluster>` against a real ZooKeeper: the task log the cluster wrote is read
 * through the ZooKeeper backend and folded like any other.
 */
import { describe, expect, it } from 'vitest';
import { streamOf } from '../../../src/domain/task/index.ts';
import { openZooKeeperEventLog } from '../../../src/infra/log/zookeeper/zookeeper-event-log.ts';
import { useZooKeeper } from '../../support/zookeeper.ts';
import { clusterTasks, T } from '../cluster-scenario.ts';
import { replay, replayJson } from '../replay-fixture.ts';

const zk = useZooKeeper({ servers: 1 });

describe('replaying a task log on ZooKeeper', () => {
  it('reads it by zk:// spec and shows the tasks at a moment', { timeout: 90_000 }, async () => {
    const log = await openZooKeeperEventLog({
      cluster: 'replay-it',
      connection: { connectString: zk().connectString, sessionTimeoutMs: 40_000, requestTimeoutMs: 15_000 },
    });
    try {
      for (const event of clusterTasks()) {
        const { type, version, data, meta } = event;
        await log.append(streamOf(event), [{ type, version, data, meta }], 'any');
      }
    } finally {
      await log.close();
    }
    const { report } = await replayJson({
      inputs: [],
      log: `zk://${zk().connectString}/replay-it`,
      at: String(T + 4_000),
    });
    expect(report.inputs).toMatchObject([
      { kind: 'task-log', path: `zk://${zk().connectString}/replay-it`, events: 8 },
    ]);
    expect(report.state?.tasks.map((task) => [task.taskId, task.status, task.node])).toEqual([
      ['a', 'running', 'n2'],
      ['b', 'running', 'n1'],
    ]);
    expect(report.timeline[0]?.location).toMatchObject({
      source: `zk://${zk().connectString}/replay-it`,
      stream: 'dispatch',
    });
  });

  it('exits 2 when the ZooKeeper log cannot be reached', { timeout: 90_000 }, async () => {
    const { code, stdout, stderr } = await replay({ inputs: [], log: 'zk://127.0.0.1:1/replay-it' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^taskd replay: /);
    expect(stdout).toBe('');
  });
});
