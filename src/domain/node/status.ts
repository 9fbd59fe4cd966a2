/**
 * The cluster as this node knows it: who leads, under which epoch, whether it holds the VIP, and why
 * the cluster is degraded. Served by the API and metrics; computed from state only.
 */
import type { Health } from '../members.ts';
import { isFit } from './leadership.ts';
import type { Lifecycle, NodeState, RoleState, SessionState } from './state.ts';

export type DegradedReason =
  | 'no-healthy-node'
  | 'no-leader'
  | 'session-suspended'
  | 'stale-leader'
  | 'vip-config-error'
  | 'vip-failing';

export interface ClusterStatus {
  readonly node: string;
  readonly incarnation: number;
  readonly lifecycle: Lifecycle['status'];
  readonly session: SessionState['status'];
  readonly role: RoleState['status'];
  readonly health: Health;
  readonly leader: string | null;
  readonly epoch: number | null;
  /** This node when it holds the VIP; null otherwise (another node's VIP is not visible from here). */
  readonly vipHolder: string | null;
  /** Sorted. Empty when all is well. */
  readonly degraded: readonly DegradedReason[];
}

/** What this node knows of the cluster. */
export function clusterStatus(state: NodeState): ClusterStatus {
  const self = state.config.node;
  const leading = state.role.status === 'leader';
  return {
    node: self,
    incarnation: state.incarnation,
    lifecycle: state.lifecycle.status,
    session: state.session.status,
    role: state.role.status,
    health: state.health.status,
    leader: leading ? self : liveLeader(state),
    epoch: state.role.status === 'leader' ? state.role.epoch : state.leader.epoch,
    vipHolder: state.vip.status === 'held' ? self : null,
    degraded: degradedReasons(state),
  };
}

/**
 * The leader the znode names, unless it names this node while it does not lead: then it is the
 * record of this node's previous, dead incarnation (killed, restarted), which lasts until ZooKeeper
 * expires that session. Nobody leads meanwhile.
 */
function liveLeader(state: NodeState): string | null {
  const named = state.leader.node;
  return named === state.config.node && state.role.status !== 'leader' ? null : named;
}

/** Why the cluster is not fully serving, as far as this node can tell. */
export function degradedReasons(state: NodeState): readonly DegradedReason[] {
  const reasons: DegradedReason[] = [];
  if (state.session.status === 'suspended') reasons.push('session-suspended');
  const connected = state.session.status === 'connected';
  if (
    state.lifecycle.status === 'running' &&
    connected &&
    state.role.status !== 'leader' &&
    liveLeader(state) === null
  ) {
    reasons.push(state.leader.node === null ? 'no-leader' : 'stale-leader');
  }
  if (noHealthyNode(state)) reasons.push('no-healthy-node');
  if (state.vip.status === 'failed')
    reasons.push(state.vip.cause === 'config' ? 'vip-config-error' : 'vip-failing');
  return reasons.sort();
}

/** No member could hold the VIP; this node's own fold counts over what it last published. */
function noHealthyNode(state: NodeState): boolean {
  const self = state.config.node;
  const members = Object.values(state.members);
  if (members.length === 0) return false;
  const othersFit = members.some((member) => member.node !== self && isFit(member));
  const selfDraining = state.members[self]?.draining === true;
  return !othersFit && !(state.health.status === 'healthy' && !selfDraining);
}
