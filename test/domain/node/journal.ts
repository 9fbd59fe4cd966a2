/**
 * Journal fixtures for node-domain tests: terse event builders and the common opening sequences,
 * all for node `n1` unless told otherwise.
 */
import type { EventMeta } from '../../../src/domain/event.ts';
import type { MemberView } from '../../../src/domain/members.ts';
import {
  defaultNodeConfig,
  type NodeConfig,
  type NodeEvent,
  type NodeEventData,
  type NodeEventOf,
  type NodeEventType,
  nodeEvent,
} from '../../../src/domain/node/index.ts';

export const SELF = 'n1';
export const VIP = '10.0.0.100/24';

/** The config most tests use: rise/fall of 2, a 30 s cooldown and a VIP. */
export function testConfig(node = SELF, overrides: Partial<NodeConfig> = {}): NodeConfig {
  return {
    ...defaultNodeConfig(node),
    health: { rise: 2, fall: 2 },
    vip: { address: VIP, retryInitialMs: 1_000, retryMaxMs: 8_000 },
    ...overrides,
  };
}

/** One event of node `n1`, incarnation 1, at `at` (override with `meta`). */
export function e<T extends NodeEventType>(
  type: T,
  at: number,
  data: NodeEventData<T>,
  meta: Partial<EventMeta> = {},
): NodeEventOf<T> {
  return nodeEvent(type, data, { node: SELF, incarnation: 1, at, ...meta });
}

/** Services started in incarnation 1 and a session connected, 10 ms later, with a 6 s timeout. */
export function startedAndConnected(at = 0, sessionId = '0x1', negotiatedTimeoutMs = 6_000): NodeEvent[] {
  return [
    e('ServicesStarted', at, { incarnation: 1 }),
    e('SessionConnecting', at + 1, { connectString: 'zk1:2181,zk2:2181,zk3:2181' }),
    e('SessionConnected', at + 10, { sessionId, negotiatedTimeoutMs, server: 'zk1:2181' }),
  ];
}

/** `count` health checks of `probe`, one per second from `at`. */
export function checks(at: number, ok: boolean, count = 2, probe = 'secondary-network'): NodeEvent[] {
  return Array.from({ length: count }, (_, i) =>
    e('HealthChecked', at + i * 1_000, {
      probe,
      ok,
      detail: ok ? 'peers reachable' : 'all peers unreachable',
    }),
  );
}

/** Join the election with `sequence` and win it with epoch `epoch`. */
export function winElection(at: number, epoch: number, sequence = epoch): NodeEvent[] {
  return [
    e('ElectionJoinRequested', at, { from: 'outside' }),
    e('ElectionJoined', at + 1, { sequence }),
    e('LeaderObserved', at + 2, { leader: SELF, epoch }),
    e('LeadershipAcquired', at + 3, { epoch }),
  ];
}

/** A member as published in its znode. */
export function member(node: string, health: MemberView['health'], draining = false): MemberView {
  return {
    node,
    incarnation: 1,
    address: `${node}:7070`,
    priority: 0,
    health,
    draining,
    capacity: 4,
    load: 0,
  };
}

/** A members view keyed by node id. */
export function view(...members: MemberView[]): Record<string, MemberView> {
  return Object.fromEntries(members.map((m) => [m.node, m]));
}

/** A wall-clock time of the seed logs ("01:45:07.652040") as ms since midnight. */
export function hms(time: string): number {
  const [h = '0', m = '0', s = '0'] = time.split(':');
  return (Number(h) * 3_600 + Number(m) * 60) * 1_000 + Math.floor(Number(s) * 1_000);
}
