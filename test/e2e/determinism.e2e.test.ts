/**
 * Determinism: a live 3-node run with a failover and a session expiry, replayed from its journals and
 * its task log, gives the same state at every checkpoint as the nodes had live. The nodes journal
 * state hashes (StateCheckpoint); replay re-folds with the same `evolve` and compares.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import type { NodeEvent } from '../../src/domain/node/index.ts';
import {
  evolve,
  initialState,
  parseTaskEvent,
  recordAnomaly,
  type TasksState,
} from '../../src/domain/task/index.ts';
import { readJournal } from '../../src/infra/journal/read-journal.ts';
import { stateHash } from '../../src/infra/state-hash.ts';
import {
  clusterView,
  leaderOf,
  readTaskLog,
  startTestCluster,
  submitBatch,
  waitAllFinished,
} from '../support/taskd-cluster.ts';
import { useZooKeeper, waitFor } from '../support/zookeeper.ts';

const zookeeper = useZooKeeper({ servers: 3 });
vi.setConfig({ testTimeout: 240_000 });
const TASKD = fileURLToPath(new URL('../../bin/taskd.js', import.meta.url));

describe('a recorded run with a failover and a session expiry', () => {
  it('replays to the same states the nodes had live, at every checkpoint', async () => {
    const cluster = await startTestCluster(zookeeper().connectString, 3, {
      extraArgs: ['--checkpoint-interval-ms', '300'],
    });
    const leader = (await leaderOf(cluster.nodes))!;
    const [follower] = cluster.nodes.filter((n) => n !== leader);
    const first = await submitBatch(
      follower!,
      Array.from({ length: 12 }, (_, i) => ({ type: 'sleep', payload: { ms: 300 + i * 50 } })),
    );
    // A failover: the leader dies.
    leader.signal('SIGKILL');
    const survivors = cluster.nodes.filter((n) => n !== leader);
    const next = await waitFor(() => leaderOf(survivors), { what: 'a new leader', timeoutMs: 30_000 });
    // A session expiry: the other survivor freezes past its session timeout, then resumes.
    const frozen = survivors.find((n) => n !== next)!;
    const before = (await clusterView(next))!.members.find(
      (m) => m.node === frozen.options.nodeId,
    )!.incarnation;
    frozen.signal('SIGSTOP');
    await waitFor(
      async () => !(await clusterView(next))!.members.some((m) => m.node === frozen.options.nodeId),
      {
        what: 'the frozen node’s session to expire',
        timeoutMs: 30_000,
      },
    );
    frozen.signal('SIGCONT');
    await waitFor(
      async () =>
        ((await clusterView(next))!.members.find((m) => m.node === frozen.options.nodeId)?.incarnation ?? 0) >
        before,
      {
        what: 'the frozen node to rejoin',
        timeoutMs: 30_000,
      },
    );
    const later = await submitBatch(
      next,
      Array.from({ length: 6 }, () => ({ type: 'noop' })),
    );
    await waitAllFinished(survivors, [...first, ...later]);
    await Promise.all(survivors.map((n) => n.stop()));

    // The node states: replay re-folds every journal and checks each StateCheckpoint's hash.
    const replay = spawnSync(
      process.execPath,
      [
        TASKD,
        'replay',
        ...cluster.nodes.map((n) => n.dataDir),
        '--log',
        `zk://${zookeeper().connectString}/${cluster.name}`,
        '--format',
        'json',
        '--no-timeline',
      ],
      { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
    );
    expect(replay.status, replay.stderr).toBe(0);
    const report = JSON.parse(replay.stdout) as { anomalies: { kind: string }[] };
    expect(report.anomalies.filter((a) => a.kind === 'checkpoint-mismatch')).toEqual([]);

    // The task states: fold the log up to each checkpoint's position, as the node did, and compare.
    const log = await readTaskLog(zookeeper().connectString, cluster.name);
    let checked = 0;
    for (const node of cluster.nodes) {
      const checkpoints: { position: number; hash: string }[] = [];
      let nodeCheckpoints = 0;
      for await (const item of readJournal(node.dataDir)) {
        if (item.kind !== 'entry' || item.event.type !== 'StateCheckpoint') continue;
        nodeCheckpoints++;
        const tasks = (item.event as Extract<NodeEvent, { type: 'StateCheckpoint' }>).data.tasks;
        if (tasks !== undefined) checkpoints.push(tasks);
      }
      expect(nodeCheckpoints).toBeGreaterThan(0);
      for (const checkpoint of checkpoints) {
        let state: TasksState = initialState();
        for (const logged of log) {
          if (logged.position > checkpoint.position) break;
          const parsed = parseTaskEvent(logged, {
            stream: logged.stream,
            revision: logged.revision,
            position: logged.position,
          });
          state = parsed.ok ? evolve(state, parsed.event) : recordAnomaly(state, parsed.anomaly);
        }
        expect(stateHash(state)).toBe(checkpoint.hash);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3);
  });
});
