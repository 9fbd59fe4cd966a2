/**
 * Seed 001. First case: three nodes see "Local secondary data channel was invalid" everywhere; each
 * new leader exited with 115 and leadership ping-ponged every ~7 s until systemd gave up. Second
 * case: a ZooKeeper host goes down ("Host is down"); ntpd and metad reconnect to another member
 * within 100 ms and carry on, while taskd let its 3600 ms timer run out and exited.
 */
import { describe, expect, it } from 'vitest';
import {
  clusterStatus,
  DEFAULT_RESTART_POLICY,
  decideRestart,
  decideSessionSignal,
  decideSessionTimer,
  nextTeardownStep,
} from '../../../src/domain/node/index.ts';
import { ClusterSim } from './cluster-sim.ts';
import { NodeDriver } from './driver.ts';
import { hms, testConfig } from './journal.ts';

const NODES = ['node-19-17', 'node-19-18', 'node-19-19'];
const start = hms('17:50:50.000');
const networkFails = hms('17:51:00.000');
const seconds = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i * 1_000);

/** The three nodes healthy for 10 s, then `healthy` decides each node's checks for 30 s. */
function run(healthy: (node: string) => boolean): ClusterSim {
  const cluster = new ClusterSim(
    NODES.map((node) => testConfig(node)),
    start,
  );
  for (const now of seconds(start + 1_000, 9)) cluster.tick(now, () => true);
  for (const now of seconds(networkFails, 30)) cluster.tick(now, healthy);
  return cluster;
}

describe('seed 001: the secondary network is invalid on every node', () => {
  const cluster = run(() => false);

  it('never resigns, never moves leadership, never shuts down or restarts', () => {
    const types = new Set(cluster.all().map((event) => event.type));
    for (const type of [
      'LeadershipResigned',
      'LeadershipLost',
      'ShutdownRequested',
      'RestartScheduled',
    ] as const) {
      expect(types.has(type)).toBe(false);
    }
    expect(cluster.terms).toEqual([{ node: 'node-19-17', epoch: 1, at: start + 1_003 }]);
  });

  it('keeps one leader dispatching without the VIP, and every node reports the cluster degraded', () => {
    const [leader, ...followers] = cluster.nodes;
    expect(leader?.state.role).toMatchObject({ status: 'leader', epoch: 1 });
    for (const follower of followers) expect(follower.state.role.status).toBe('candidate');
    // A possibly stale VIP is cleaned at start, the VIP is taken once healthy, and dropped after `fall` failures.
    expect(leader?.entries('VipReleased').map((event) => event.meta.at)).toEqual([
      start + 1_004,
      networkFails + 1_004,
    ]);
    expect(leader?.entries('VipAcquired').map((event) => event.meta.at)).toEqual([start + 2_004]);
    for (const node of cluster.nodes) {
      expect(clusterStatus(node.state)).toMatchObject({
        leader: 'node-19-17',
        epoch: 1,
        vipHolder: null,
        health: 'unhealthy',
        degraded: ['no-healthy-node'],
      });
      expect(node.state.anomalyCount).toBe(0);
    }
  });
});

describe('seed 001: the secondary network is invalid on the leader only', () => {
  const cluster = run((node) => node !== 'node-19-17');

  it('hands leadership over once, to a healthy node that takes the VIP, and it stays there', () => {
    expect(cluster.terms.map(({ node, epoch }) => [node, epoch])).toEqual([
      ['node-19-17', 1],
      ['node-19-18', 2],
    ]);
    const [oldLeader, newLeader] = cluster.nodes;
    expect(oldLeader?.entries('LeadershipResigned').map((event) => event.data.reason)).toEqual(['unhealthy']);
    expect(oldLeader?.state.role.status).toBe('resigned');
    expect(clusterStatus(newLeader!.state)).toMatchObject({
      role: 'leader',
      vipHolder: 'node-19-18',
      degraded: [],
    });
    expect(oldLeader?.state.vip.status).toBe('released');
  });

  it('rejoins the election after the cooldown once healthy again, without taking leadership back', () => {
    const cluster2 = run((node) => node !== 'node-19-17');
    for (const now of seconds(networkFails + 30_000, 40)) cluster2.tick(now, () => true);
    const [oldLeader] = cluster2.nodes;
    const rejoin = oldLeader?.entries('ElectionJoinRequested').at(-1);
    const resign = oldLeader?.entries('LeadershipResigned')[0];
    expect(rejoin?.data.from).toBe('resigned');
    expect(rejoin!.meta.at).toBeGreaterThanOrEqual(resign!.data.cooldownUntil);
    expect(oldLeader?.state.role.status).toBe('candidate');
    expect(cluster2.terms.map(({ node }) => node)).toEqual(['node-19-17', 'node-19-18']);
  });
});

describe('seed 001: a ZooKeeper host goes down', () => {
  /** node 25.65 leading with session 6000 ms, holding the VIP, until zk 10.168.25.65 dies. */
  function leaderUntilHostDown(): NodeDriver {
    const node = new NodeDriver(testConfig('10.168.25.65'));
    const t = hms('09:00:00.000');
    node.observe(t, 'ServicesStarted', { incarnation: 1 });
    const connected = {
      kind: 'connected',
      sessionId: '0x25650001',
      negotiatedTimeoutMs: 6_000,
      server: '10.168.25.65:2181',
    } as const;
    node.decide((s) => decideSessionSignal({ now: t + 10, signal: connected }, s));
    node.observe(t + 20, 'ElectionJoinRequested', { from: 'outside' });
    node.observe(t + 21, 'ElectionJoined', { sequence: 939745 });
    node.observe(t + 22, 'LeadershipAcquired', { epoch: 939745 });
    node.observe(t + 30, 'HealthChecked', { probe: 'secondary-network', ok: true, detail: '' });
    node.observe(t + 1_030, 'HealthChecked', { probe: 'secondary-network', ok: true, detail: '' });
    node.reconcileVip(t + 1_040);
    // "errno=112(Host is down)": CONNECTED_STATE --> CONNECTING_STATE, timer 3600
    const down = hms('09:47:55.694953');
    node.decide((s) => decideSessionSignal({ now: down, signal: { kind: 'disconnected' } }, s));
    node.reconcileVip(down);
    return node;
  }

  it('reconnects to another member inside the suspicion window: no loss, no teardown', () => {
    const node = leaderUntilHostDown();
    expect(node.entries('SessionSuspended').map((event) => event.data)).toEqual([
      { suspicionMs: 3_600, deadline: hms('09:47:55.694953') + 3_600 },
    ]);
    // like ntpd: CONNECTING_STATE --> CONNECTED_STATE 100 ms later, on 10.168.25.66
    const back = {
      kind: 'connected',
      sessionId: '0x25650001',
      negotiatedTimeoutMs: 6_000,
      server: '10.168.25.66:2181',
    } as const;
    node.decide((s) => decideSessionSignal({ now: hms('09:47:55.796485'), signal: back }, s));
    node.reconcileVip(hms('09:47:55.796485'));
    // the moment taskd's timer fired in the seed
    node.decide((s) => decideSessionTimer({ now: hms('09:47:59.295037') }, s));

    expect(node.entries('SessionLost')).toEqual([]);
    expect(node.entries('ShutdownRequested')).toEqual([]);
    expect(nextTeardownStep(node.state)).toEqual({ kind: 'none' });
    expect(clusterStatus(node.state)).toMatchObject({
      lifecycle: 'running',
      session: 'connected',
      role: 'leader',
      leader: '10.168.25.65',
      epoch: 939745,
      vipHolder: '10.168.25.65',
      degraded: [],
    });
    expect(node.state.anomalyCount).toBe(0);
  });

  it('without a reconnect, declares the loss at the deadline (before the server expires it) and restarts in-process', () => {
    const node = leaderUntilHostDown();
    const lost = node.decide((s) => decideSessionTimer({ now: hms('09:47:59.295037') }, s));
    expect(lost.map((event) => event.data)).toEqual([{ reason: 'suspicion-timeout' }]);
    // The server's own EXPIRED_SESSION_STATE arrives later and changes nothing more.
    node.decide((s) =>
      decideSessionSignal({ now: hms('09:47:59.857657'), signal: { kind: 'lost', reason: 'expired' } }, s),
    );
    expect(node.state.session).toMatchObject({ status: 'lost', reason: 'suspicion-timeout' });

    node.trigger(hms('09:47:59.857712'), 'session-lost');
    const doneAt = node.runTeardown(hms('09:47:59.857712'));
    node.decide((s) => decideRestart({ now: doneAt, policy: DEFAULT_RESTART_POLICY }, s));
    expect(node.state.lifecycle).toMatchObject({ status: 'restart-scheduled', attempt: 1 });
    expect(node.state.anomalyCount).toBe(0);
  });
});
