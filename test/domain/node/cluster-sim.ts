/**
 * A pure simulation of a few nodes around one ZooKeeper election, for the seed-001 scenarios.
 * Each node is a NodeDriver; the "ensemble" here only hands out sequence numbers, elects the lowest
 * candidate (epoch = its sequence, so epochs grow) and shows every node the same member view.
 */
import type { MemberView } from '../../../src/domain/members.ts';
import {
  decideLeadership,
  decideSessionSignal,
  decideSessionTimer,
  type NodeConfig,
  type NodeEvent,
} from '../../../src/domain/node/index.ts';
import { NodeDriver } from './driver.ts';

export class ClusterSim {
  readonly nodes: NodeDriver[];
  private sequence = 0;
  private candidates: { node: string; sequence: number }[] = [];
  private leader: { node: string; epoch: number } | null = null;
  /** Every leadership term, in order. */
  readonly terms: { node: string; epoch: number; at: number }[] = [];

  constructor(configs: readonly NodeConfig[], now: number) {
    this.nodes = configs.map((config) => new NodeDriver(config));
    for (const node of this.nodes) {
      node.observe(now, 'ServicesStarted', { incarnation: 1 });
      node.decide((s) =>
        decideSessionSignal({ now, signal: { kind: 'connecting', connectString: 'zk1,zk2,zk3' } }, s),
      );
      const signal = {
        kind: 'connected',
        sessionId: `0x${node.node}`,
        negotiatedTimeoutMs: 6_000,
        server: 'zk1',
      } as const;
      node.decide((s) => decideSessionSignal({ now: now + 5, signal }, s));
    }
  }

  /** One second of the cluster: health checks, the member view, leadership, election, VIP. */
  tick(now: number, healthy: (node: string) => boolean): void {
    for (const node of this.nodes) {
      const ok = healthy(node.node);
      node.observe(now, 'HealthChecked', {
        probe: 'secondary-network',
        ok,
        detail: ok ? '' : 'Local secondary data channel was invalid',
      });
    }
    const members = this.view();
    for (const node of this.nodes) {
      node.observe(now + 1, 'MembersObserved', { members: Object.values(members) });
      node.decide((s) => decideSessionTimer({ now: now + 1 }, s));
      const decided = node.decide((s) => decideLeadership({ now: now + 1, members }, s));
      for (const event of decided) this.onDecided(node, event, now + 2);
    }
    this.elect(now + 3);
    for (const node of this.nodes) node.reconcileVip(now + 4);
  }

  /** The members as each node publishes itself (health from its own fold). */
  view(): Record<string, MemberView> {
    const entries = this.nodes.map((node): [string, MemberView] => [
      node.node,
      {
        node: node.node,
        incarnation: node.state.incarnation,
        address: `${node.node}:7070`,
        priority: 0,
        health: node.state.health.status,
        draining: false,
        capacity: 4,
        load: 0,
      },
    ]);
    return Object.fromEntries(entries);
  }

  /** Every event all nodes journaled. */
  all(): NodeEvent[] {
    return this.nodes.flatMap((node) => node.journal);
  }

  private onDecided(node: NodeDriver, event: NodeEvent, now: number): void {
    if (event.type === 'ElectionJoinRequested') {
      this.sequence += 1;
      this.candidates.push({ node: node.node, sequence: this.sequence });
      node.observe(now, 'ElectionJoined', { sequence: this.sequence });
    }
    if (event.type === 'LeadershipResigned') {
      this.candidates = this.candidates.filter((candidate) => candidate.node !== node.node);
      this.leader = null;
    }
  }

  private elect(now: number): void {
    const lowest = [...this.candidates].sort((a, b) => a.sequence - b.sequence)[0];
    if (lowest === undefined || this.leader?.node === lowest.node) return;
    this.leader = { node: lowest.node, epoch: lowest.sequence };
    this.terms.push({ ...this.leader, at: now });
    for (const node of this.nodes)
      node.observe(now, 'LeaderObserved', { leader: lowest.node, epoch: lowest.sequence });
    const winner = this.nodes.find((node) => node.node === lowest.node);
    winner?.observe(now, 'LeadershipAcquired', { epoch: lowest.sequence });
  }
}
