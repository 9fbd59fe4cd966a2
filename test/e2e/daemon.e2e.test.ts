/**
 * taskd end to end: real taskd processes on a real 3-server ZooKeeper ensemble.
 */
import { describe, expect, it, vi } from 'vitest';
import type { LoggedEvent } from '../../src/infra/log/port.ts';
import {
  clusterView,
  leaderOf,
  post,
  readTaskLog,
  startTestCluster,
  submitBatch,
  tasksOn,
  waitAllFinished,
} from '../support/taskd-cluster.ts';
import { useZooKeeper, waitFor } from '../support/zookeeper.ts';

const zookeeper = useZooKeeper({ servers: 3 });
vi.setConfig({ testTimeout: 180_000 });

const sleeps = (n: number, ms: number) =>
  Array.from({ length: n }, () => ({ type: 'sleep', payload: { ms } }));
const data = (e: LoggedEvent) => e.data as { taskId: string; attempt: number; node: string; epoch: number };

/** Each (task, attempt) ends at most once in the log, and each task's final attempt succeeded once. */
function expectExactlyOncePerAttempt(log: readonly LoggedEvent[], ids: readonly string[]) {
  const ends = log
    .filter((e) => e.type === 'TaskSucceeded' || e.type === 'TaskFailed')
    .map((e) => `${data(e).taskId}#${data(e).attempt}`);
  expect(new Set(ends).size).toBe(ends.length);
  const succeeded = new Set(log.filter((e) => e.type === 'TaskSucceeded').map((e) => data(e).taskId));
  for (const id of ids) expect(succeeded.has(id)).toBe(true);
}

describe('a three-node cluster', () => {
  it('runs every task submitted through the API to the end, exactly once per attempt', async () => {
    const cluster = await startTestCluster(zookeeper().connectString, 3);
    const [a, b, c] = cluster.nodes as [
      (typeof cluster.nodes)[0],
      (typeof cluster.nodes)[0],
      (typeof cluster.nodes)[0],
    ];
    const ids = [
      ...(await submitBatch(
        a,
        Array.from({ length: 20 }, (_, i) => ({ type: 'noop', payload: { i } })),
      )),
      ...(await submitBatch(b, sleeps(6, 100))),
      ...(await submitBatch(c, sleeps(4, 50))),
    ];
    const tasks = await waitAllFinished(cluster.nodes, ids);
    expect(tasks.every((t) => t.status === 'succeeded')).toBe(true);
    // Tasks ran on more than one node: the leader spread them.
    expect(new Set(tasks.map((t) => t.assignment?.node)).size).toBeGreaterThan(1);
    expectExactlyOncePerAttempt(await readTaskLog(zookeeper().connectString, cluster.name), ids);
    await Promise.all(cluster.nodes.map((n) => n.stop()));
  });

  it('survives kill -9 of the leader: a new leader with a higher epoch requeues what was lost', async () => {
    const cluster = await startTestCluster(zookeeper().connectString, 3);
    const leader = (await leaderOf(cluster.nodes))!;
    const firstEpoch = (await clusterView(leader))!.epoch!;
    const other = cluster.nodes.find((n) => n !== leader)!;
    const ids = await submitBatch(other, sleeps(9, 1_500));
    await waitFor(
      async () =>
        (await tasksOn(other)).filter(
          (t) => t.status === 'running' && t.assignment?.node === leader.options.nodeId,
        ).length > 0,
      {
        what: 'a task running on the leader',
      },
    );
    leader.signal('SIGKILL');
    const survivors = cluster.nodes.filter((n) => n !== leader);
    const next = await waitFor(() => leaderOf(survivors), { what: 'a new leader', timeoutMs: 30_000 });
    expect((await clusterView(next))!.epoch!).toBeGreaterThan(firstEpoch);
    await waitAllFinished(survivors, ids);
    const log = await readTaskLog(zookeeper().connectString, cluster.name);
    // Every attempt the dead leader held unfinished was interrupted, then requeued as a new attempt.
    const key = (e: LoggedEvent) => `${data(e).taskId}#${data(e).attempt}`;
    const ended = new Set(log.filter((e) => e.type === 'TaskSucceeded' || e.type === 'TaskFailed').map(key));
    const lost = log
      .filter(
        (e) => e.type === 'TaskAssigned' && data(e).node === leader.options.nodeId && !ended.has(key(e)),
      )
      .map(key);
    const interrupted = new Set(log.filter((e) => e.type === 'TaskInterrupted').map(key));
    const requeued = new Set(
      log.filter((e) => e.type === 'TaskRequeued').map((e) => `${data(e).taskId}#${data(e).attempt - 1}`),
    );
    expect(lost.length).toBeGreaterThan(0);
    for (const attempt of lost) {
      expect(interrupted.has(attempt)).toBe(true);
      expect(requeued.has(attempt)).toBe(true);
    }
    expectExactlyOncePerAttempt(log, ids);
    await Promise.all(survivors.map((n) => n.stop()));
  });

  it('runs the tasks of a runner killed with -9 elsewhere', async () => {
    const cluster = await startTestCluster(zookeeper().connectString, 3);
    const leader = (await leaderOf(cluster.nodes))!;
    const runner = cluster.nodes.find((n) => n !== leader)!;
    const ids = await submitBatch(leader, sleeps(9, 1_500));
    await waitFor(
      async () =>
        (await tasksOn(leader)).some(
          (t) => t.status === 'running' && t.assignment?.node === runner.options.nodeId,
        ),
      {
        what: 'a task running on the runner',
      },
    );
    runner.signal('SIGKILL');
    const survivors = cluster.nodes.filter((n) => n !== runner);
    const tasks = await waitAllFinished(survivors, ids);
    expect(tasks.every((t) => t.status === 'succeeded' && t.assignment?.node !== runner.options.nodeId)).toBe(
      true,
    );
    await Promise.all(survivors.map((n) => n.stop()));
  });
});

describe('a three-node cluster with --prefetch', () => {
  /** The most attempts a runner stream shows running at once: its reports in log order. */
  const mostAtOnce = (log: readonly LoggedEvent[], node: string) => {
    let now = 0;
    let most = 0;
    for (const e of log.filter((x) => x.stream === `runner-${node}`)) {
      if (e.type === 'TaskStarted') now += 1;
      if (e.type === 'TaskSucceeded' || e.type === 'TaskFailed') now -= 1;
      most = Math.max(most, now);
    }
    return most;
  };

  it("queues beyond capacity but runs at most capacity at once; a killed runner's queue runs elsewhere", async () => {
    const cluster = await startTestCluster(zookeeper().connectString, 3, {
      capacity: 2,
      extraArgs: ['--prefetch', '3'],
    });
    const leader = (await leaderOf(cluster.nodes))!;
    const runner = cluster.nodes.find((n) => n !== leader)!;
    const view = await clusterView(leader);
    expect(view?.members.map((m) => [m.capacity, m.prefetch])).toEqual([
      [2, 3],
      [2, 3],
      [2, 3],
    ]);
    const ids = await submitBatch(leader, sleeps(15, 400));
    // The runner holds more than its two slots: some of its tasks wait in its queue.
    await waitFor(
      async () => {
        const held = (await tasksOn(leader)).filter((t) => t.assignment?.node === runner.options.nodeId);
        return (
          held.filter((t) => t.status === 'running').length > 0 &&
          held.filter((t) => t.status === 'assigned' || t.status === 'running').length > 2
        );
      },
      { what: 'the runner holding more tasks than its capacity' },
    );
    runner.signal('SIGKILL');
    const survivors = cluster.nodes.filter((n) => n !== runner);
    const tasks = await waitAllFinished(survivors, ids);
    expect(tasks.every((t) => t.status === 'succeeded' && t.assignment?.node !== runner.options.nodeId)).toBe(
      true,
    );
    const log = await readTaskLog(zookeeper().connectString, cluster.name);
    for (const node of cluster.nodes) expect(mostAtOnce(log, node.options.nodeId)).toBeLessThanOrEqual(2);
    expectExactlyOncePerAttempt(log, ids);
    await Promise.all(survivors.map((n) => n.stop()));
  });
});

describe('a leader paused past its session timeout (SIGSTOP), then resumed', () => {
  it('writes nothing after the new leader fenced it, steps down, and rejoins as a follower', async () => {
    const cluster = await startTestCluster(zookeeper().connectString, 3);
    const old = (await leaderOf(cluster.nodes))!;
    const oldEpoch = (await clusterView(old))!.epoch!;
    const others = cluster.nodes.filter((n) => n !== old);
    old.signal('SIGSTOP');
    const next = await waitFor(() => leaderOf(others), { what: 'a new leader', timeoutMs: 30_000 });
    const newEpoch = (await clusterView(next))!.epoch!;
    // Work for the new leader while the old one is frozen, with an append it had queued.
    const ids = await submitBatch(next, sleeps(3, 50));
    old.signal('SIGCONT');
    await waitAllFinished(others, ids);
    await waitFor(async () => (await clusterView(old))?.leader === next.options.nodeId, {
      what: 'the old leader to follow',
      timeoutMs: 30_000,
    });
    const log = await readTaskLog(zookeeper().connectString, cluster.name);
    const fence = log.findIndex(
      (e) => e.type === 'EpochStarted' && (e.data as { epoch: number }).epoch === newEpoch,
    );
    const stale = log.slice(fence).filter((e) => e.stream === 'dispatch' && (e.meta.epoch ?? 0) <= oldEpoch);
    expect(fence).toBeGreaterThan(-1);
    expect(stale).toEqual([]);
    await Promise.all(cluster.nodes.map((n) => n.stop()));
  });
});

describe('a node whose session expired (paused past the timeout)', () => {
  it('tears down once, restarts its services in-process and rejoins with a new incarnation', async () => {
    const cluster = await startTestCluster(zookeeper().connectString, 2);
    const leader = (await leaderOf(cluster.nodes))!;
    const follower = cluster.nodes.find((n) => n !== leader)!;
    const before = (await clusterView(leader))!.members.find(
      (m) => m.node === follower.options.nodeId,
    )!.incarnation;
    follower.signal('SIGSTOP');
    await waitFor(async () => (await clusterView(leader))!.members.length === 1, {
      what: 'the session to expire',
      timeoutMs: 30_000,
    });
    follower.signal('SIGCONT');
    await waitFor(
      async () =>
        ((await clusterView(leader))!.members.find((m) => m.node === follower.options.nodeId)?.incarnation ??
          0) > before,
      {
        what: 'the follower to rejoin with a new incarnation',
        timeoutMs: 30_000,
      },
    );
    expect(follower.running).toBe(true);
    await Promise.all(cluster.nodes.map((n) => n.stop()));
  });
});

describe('draining a node', () => {
  it('gives it no new tasks while its running ones finish', async () => {
    const cluster = await startTestCluster(zookeeper().connectString, 2);
    const [a, b] = cluster.nodes as [(typeof cluster.nodes)[0], (typeof cluster.nodes)[0]];
    const first = await submitBatch(a, sleeps(8, 1_000));
    await waitFor(
      async () => (await tasksOn(a)).some((t) => t.status === 'running' && t.assignment?.node === 'n2'),
      { what: 'work on n2' },
    );
    expect((await post(a, '/v1/nodes/n2/drain', {})).status).toBeLessThan(300);
    // Draining is honoured once the leader's member view shows it: wait for every node's view.
    await waitFor(
      async () => {
        const views = await Promise.all(cluster.nodes.map((n) => clusterView(n)));
        return views.every((v) => v?.members.find((m) => m.node === 'n2')?.draining === true);
      },
      { what: 'every node to see n2 draining' },
    );
    const later = await submitBatch(a, sleeps(6, 50));
    const all = await waitAllFinished(cluster.nodes, [...first, ...later]);
    expect(all.every((t) => t.status === 'succeeded')).toBe(true);
    const laterOnN2 = all.filter((t) => later.includes(t.taskId) && t.assignment?.node === 'n2');
    expect(laterOnN2).toEqual([]);
    await Promise.all([a.stop(), b.stop()]);
  });
});
