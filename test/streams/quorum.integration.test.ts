/**
 * The streams on a real 3-server ZooKeeper ensemble: membership, election with epochs, reconnects
 * that change nothing, and session loss that runs exactly one teardown, in order.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TEARDOWN_STEPS } from '../../src/domain/node/index.ts';
import { createZooKeeperSession } from '../../src/infra/zookeeper/index.ts';
import { clusterPaths } from '../../src/streams/cluster-paths.ts';
import { expireSession, serverOfSession, useZooKeeper, waitFor } from '../support/zookeeper.ts';
import {
  journalEvents,
  journalTypes,
  type QuorumNode,
  replayJournal,
  startQuorumNode,
} from './support/quorum-node.ts';

const zookeeper = useZooKeeper({ servers: 3 });
let started: QuorumNode[] = [];
let clusterCount = 0;

function startCluster(size: number): { nodes: QuorumNode[]; cluster: string } {
  const cluster = `streams-${++clusterCount}`;
  const nodes = Array.from({ length: size }, (_, i) =>
    startQuorumNode(`n${i + 1}`, cluster, zookeeper().connectString),
  );
  started.push(...nodes);
  return { nodes, cluster };
}

const leaderOf = (nodes: QuorumNode[]) => nodes.find((n) => n.store.current().role.status === 'leader');

afterEach(async () => {
  await Promise.all(started.map((n) => n.stop()));
  // Replay: every node's journal folds to exactly the state the node had live.
  for (const node of started) {
    node.closeJournal();
    expect(await replayJournal(node)).toEqual(node.store.current());
  }
  started = [];
});

function expectOneTeardownInOrder(types: string[]) {
  expect(types.filter((t) => t === 'ShutdownRequested')).toHaveLength(1);
  const steps = types.filter((t) => t === 'TeardownStepStarted');
  expect(steps).toHaveLength(TEARDOWN_STEPS.length);
  expect(types.filter((t) => t === 'TeardownFinished')).toHaveLength(1);
}

describe('a cluster of three nodes', () => {
  it('elects exactly one leader, whose epoch every node sees, and every node sees all members', async () => {
    const { nodes } = startCluster(3);
    await waitFor(() => nodes.every((n) => Object.keys(n.store.current().members).length === 3), {
      what: 'all members seen',
    });
    const leader = await waitFor(() => leaderOf(nodes), { what: 'a leader' });
    const epoch =
      leader.store.current().role.status === 'leader'
        ? (leader.store.current().role as { epoch: number }).epoch
        : -1;
    await waitFor(
      () =>
        nodes.every(
          (n) => n.store.current().leader.node === leader.name && n.store.current().leader.epoch === epoch,
        ),
      {
        what: 'every node to see the leader',
      },
    );
    expect(nodes.filter((n) => n.store.current().role.status === 'leader')).toHaveLength(1);
  });

  it('hands leadership to another node with a higher epoch when the leader stops', async () => {
    const { nodes } = startCluster(3);
    const first = await waitFor(() => leaderOf(nodes), { what: 'a leader' });
    const firstEpoch = first.store.current().highestEpoch;
    await first.stop();
    const rest = nodes.filter((n) => n !== first);
    const second = await waitFor(() => leaderOf(rest), { what: 'a new leader' });
    expect(second.store.current().highestEpoch).toBeGreaterThan(firstEpoch);
    expectOneTeardownInOrder(await journalTypes(first));
  });
});

describe('when the ZooKeeper server a node is connected to dies', () => {
  it('reconnects to another member of the ensemble with the same session: no teardown', async () => {
    const { nodes } = startCluster(1);
    const node = nodes[0]!;
    await waitFor(() => node.store.current().role.status === 'leader', { what: 'the node to lead' });
    const { sessionId } = node.session.credentials();
    const server = await waitFor(() => serverOfSession(zookeeper(), Buffer.from(sessionId, 'hex')), {
      what: 'the session’s server',
    });
    await server.kill();
    try {
      await waitFor(
        () =>
          node.store.current().session.status === 'connected' &&
          node.session.current().server !== `127.0.0.1:${server.clientPort}`,
        {
          what: 'a reconnect to another server',
        },
      );
      const state = node.store.current();
      expect(state.lifecycle.status).toBe('running');
      expect(state.session.status === 'connected' && state.session.sessionId).toBe(sessionId);
      expect(state.role.status).toBe('leader');
    } finally {
      await server.restart();
    }
  });
});

describe('when a node’s session expires', () => {
  it('runs exactly one teardown, in order, and its member and election znodes are gone', async () => {
    const { nodes, cluster } = startCluster(2);
    await waitFor(() => nodes.every((n) => Object.keys(n.store.current().members).length === 2), {
      what: 'both members seen',
    });
    const victim = nodes[0]!;
    const { sessionId, password } = victim.session.credentials();
    await expireSession(
      zookeeper().connectString,
      Buffer.from(sessionId, 'hex'),
      Buffer.from(password, 'hex'),
    );
    const end = await victim.ended;
    expect(end.trigger).toBe('session-lost');
    expect(end.state.anomalyCount).toBe(0);
    expectOneTeardownInOrder(await journalTypes(victim));
    const paths = clusterPaths(cluster);
    const observer = createZooKeeperSession({
      connectString: zookeeper().connectString,
      sessionTimeoutMs: 2_000,
      requestTimeoutMs: 1_500,
    });
    try {
      expect(await observer.exists(paths.member(victim.name))).toBeNull();
      const candidates = (await observer.getChildren(paths.election))?.children ?? [];
      const owners = await Promise.all(
        candidates.map(async (c) => (await observer.getData(`${paths.election}/${c}`))?.data.toString()),
      );
      expect(owners.some((o) => o?.includes(`"node":"${victim.name}"`))).toBe(false);
    } finally {
      await observer.close();
    }
  });

  it('survives the seed-000 sequence: a second shutdown from another path closes nothing twice', async () => {
    const { nodes } = startCluster(1);
    const node = nodes[0]!;
    await waitFor(() => node.store.current().session.status === 'connected', { what: 'a session' });
    const { sessionId, password } = node.session.credentials();
    await expireSession(
      zookeeper().connectString,
      Buffer.from(sessionId, 'hex'),
      Buffer.from(password, 'hex'),
    );
    await node.ended;
    // The seed's destructor path: another stop request and another close, after the teardown.
    node.store.dispatch({ type: 'RequestShutdown', now: Date.now(), trigger: 'process-exit' });
    await node.session.close();
    const types = await journalTypes(node);
    expectOneTeardownInOrder(types);
    expect(types.filter((t) => t === 'SessionClosed').length).toBeLessThanOrEqual(1);
    expect(types.at(-1)).toBe('ShutdownIgnored');
    expect(node.store.current().anomalyCount).toBe(0);
  });
});

describe('when every ZooKeeper server stalls (SIGSTOP) past the suspicion deadline', () => {
  it('the node stops acting on its own timer, before the server could expire the session', async () => {
    const { nodes } = startCluster(1);
    const node = nodes[0]!;
    await waitFor(() => node.store.current().role.status === 'leader', { what: 'the node to lead' });
    const servers = zookeeper().servers;
    await Promise.all(servers.map((s) => s.pause()));
    try {
      const end = await node.ended;
      expect(end.trigger).toBe('session-lost');
      const events = await journalEvents(node);
      const suspended = events.find((e) => e.type === 'SessionSuspended');
      const lost = events.filter((e) => e.type === 'SessionLost');
      // Its own timer, not the server, ended the session: the server was frozen and could say nothing.
      expect(lost.map((e) => e.data)).toEqual([{ reason: 'suspicion-timeout' }]);
      expect(suspended?.type === 'SessionSuspended' && lost[0]!.meta.at >= suspended.data.deadline).toBe(
        true,
      );
      expectOneTeardownInOrder(events.map((e) => e.type));
    } finally {
      await Promise.all(servers.map((s) => s.resume()));
    }
  });
});
