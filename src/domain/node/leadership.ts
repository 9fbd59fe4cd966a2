/**
 * Election and leadership. Epochs only grow. An unhealthy (or draining) leader resigns only when a
 * healthy, non-draining member could take over; when nobody is healthy it keeps leading without the
 * VIP and the cluster reports itself degraded. After resigning it stays out for a cooldown and
 * rejoins only once fit again (or once nobody fit is left), so a shared fault cannot make
 * leadership ping-pong the way seed 001's restart storm did.
 */
import { assertNever } from '../event.ts';
import type { MembersView, MemberView } from '../members.ts';
import { rejected } from './anomaly.ts';
import type { ElectionJoinRequested, LeadershipEvent, LeadershipResigned } from './events.ts';
import { recordEvent } from './meta.ts';
import { type NodeState, nextState } from './state.ts';

export interface LeadershipInput {
  readonly now: number;
  /** The freshest member view (this node's own entry says whether it is draining). */
  readonly members: MembersView;
}

/** Resign, (re)join the election, or nothing. */
export function decideLeadership(
  input: LeadershipInput,
  state: NodeState,
): readonly (LeadershipResigned | ElectionJoinRequested)[] {
  if (state.lifecycle.status !== 'running' || state.session.status !== 'connected') return [];
  const { now, members } = input;
  const self = state.config.node;
  const draining = members[self]?.draining === true;
  const fitSelf = state.health.status === 'healthy' && !draining;
  const someoneElseFit = Object.values(members).some((member) => member.node !== self && isFit(member));
  const role = state.role;
  switch (role.status) {
    case 'leader': {
      if (!someoneElseFit) return [];
      const cooldownUntil = now + state.config.leadership.cooldownMs;
      if (state.health.status === 'unhealthy') {
        // Wait until the fault has had time to reach every node: shared, it makes nobody fit.
        const grace = state.config.leadership.resignGraceMs ?? 0;
        const peersFitFor = now - (state.fitPeersSince ?? now);
        if (now - state.health.since < grace || peersFitFor < grace) return [];
        return [recordEvent(state, now, 'LeadershipResigned', { reason: 'unhealthy', cooldownUntil })];
      }
      if (draining)
        return [recordEvent(state, now, 'LeadershipResigned', { reason: 'draining', cooldownUntil })];
      // Priorities say who should lead among fit members: a fit member of strictly higher priority
      // takes over. Priorities are configuration, so this moves leadership once, never back and forth.
      const priority = members[self]?.priority ?? 0;
      const outranked = Object.values(members).some(
        (m) => m.node !== self && isFit(m) && m.priority > priority,
      );
      if (outranked && state.health.status === 'healthy') {
        return [recordEvent(state, now, 'LeadershipResigned', { reason: 'priority', cooldownUntil })];
      }
      return [];
    }
    case 'outside':
      return [recordEvent(state, now, 'ElectionJoinRequested', { from: 'outside' })];
    case 'resigned':
      if (now < role.cooldownUntil || (!fitSelf && someoneElseFit)) return [];
      return [recordEvent(state, now, 'ElectionJoinRequested', { from: 'resigned' })];
    case 'joining':
    case 'candidate':
      return [];
    default:
      return assertNever(role);
  }
}

/** Could this member lead with the VIP? */
export function isFit(member: MemberView): boolean {
  return member.health === 'healthy' && !member.draining;
}

/** Folds a membership or leadership event. */
export function evolveLeadership(state: NodeState, event: LeadershipEvent): NodeState {
  const self = state.config.node;
  const role = state.role;
  const at = event.meta.at;
  const session = state.session.status;
  const watchDriven = event.type !== 'ElectionJoinRequested' && event.type !== 'LeadershipLost';
  if (watchDriven && (session === 'lost' || session === 'closed')) {
    const kind = session === 'lost' ? 'session-event-after-loss' : 'session-event-after-close';
    return rejected(state, event, kind, `${event.type} without a live session`);
  }
  switch (event.type) {
    case 'MembersObserved': {
      const members = membersByNode(event.data.members);
      const peersFit = someOtherFit(event.data.members, self);
      const fitPeersSince = peersFit ? (state.fitPeersSince ?? at) : null;
      if (sameMembers(state.members, members) && fitPeersSince === state.fitPeersSince) return state;
      return nextState(state, { members, fitPeersSince });
    }
    case 'LeaderObserved': {
      const { leader, epoch } = event.data;
      if (epoch !== null && epoch < state.highestEpoch) {
        return rejected(
          state,
          event,
          'epoch-regressed',
          `leader epoch ${epoch} < ${state.highestEpoch} seen before`,
        );
      }
      if (state.leader.node === leader && state.leader.epoch === epoch) return state;
      return nextState(state, {
        leader: { node: leader, epoch },
        highestEpoch: Math.max(state.highestEpoch, epoch ?? 0),
      });
    }
    case 'LeadershipAcquired': {
      const { epoch } = event.data;
      if (role.status !== 'candidate') {
        return rejected(state, event, 'not-a-candidate', `leadership acquired while ${role.status}`);
      }
      // The watch may show this very term just before the node learns it won.
      const sameTermSeen = state.leader.node === self && state.leader.epoch === epoch;
      if (epoch < state.highestEpoch || (epoch === state.highestEpoch && !sameTermSeen)) {
        return rejected(
          state,
          event,
          'epoch-not-increasing',
          `epoch ${epoch} <= ${state.highestEpoch} seen before`,
        );
      }
      return nextState(state, {
        role: { status: 'leader', sequence: role.sequence, epoch, since: at },
        leader: { node: self, epoch },
        highestEpoch: epoch,
      });
    }
    case 'LeadershipLost':
      if (role.status === 'leader')
        return nextState(state, { role: { status: 'outside' }, leader: notSelf(state) });
      // A session loss or a teardown already took the node out of the election.
      if (role.status === 'outside' && event.data.reason !== 'fenced') return state;
      return rejected(
        state,
        event,
        'not-leader',
        `leadership lost (${event.data.reason}) while ${role.status}`,
      );
    case 'LeadershipResigned': {
      if (role.status !== 'leader')
        return rejected(state, event, 'not-leader', `resigned while ${role.status}`);
      const { reason, cooldownUntil } = event.data;
      return nextState(state, {
        role: { status: 'resigned', reason, cooldownUntil, since: at },
        leader: notSelf(state),
      });
    }
    case 'ElectionJoinRequested':
      if (role.status !== 'outside' && role.status !== 'resigned') {
        return rejected(state, event, 'election-join-unexpected', `join requested while ${role.status}`);
      }
      return nextState(state, { role: { status: 'joining', since: at } });
    case 'ElectionJoined':
      if (role.status === 'candidate' || role.status === 'leader') {
        return rejected(state, event, 'election-join-unexpected', `joined the election while ${role.status}`);
      }
      return nextState(state, { role: { status: 'candidate', sequence: event.data.sequence, since: at } });
    default:
      return assertNever(event);
  }
}

/** The observed leader, forgetting this node as leader (the epoch stays known). */
function notSelf(state: NodeState): NodeState['leader'] {
  return state.leader.node === state.config.node ? { ...state.leader, node: null } : state.leader;
}

/**
 * The members keyed by node, the last of a name winning: Object.fromEntries of [node, member], in
 * one loop without the pairs (a member view comes every few events). A node named `__proto__` is
 * left to Object.fromEntries, which makes it an own key where an assignment would set the prototype.
 */
function membersByNode(list: readonly MemberView[]): MembersView {
  const members: Record<string, MemberView> = {};
  for (let i = 0; i < list.length; i++) {
    const member = list[i] as MemberView;
    if (member.node === '__proto__') return Object.fromEntries(list.map((m) => [m.node, m]));
    members[member.node] = member;
  }
  return members;
}

function someOtherFit(list: readonly MemberView[], self: string): boolean {
  for (let i = 0; i < list.length; i++) {
    const member = list[i] as MemberView;
    if (member.node !== self && isFit(member)) return true;
  }
  return false;
}

function sameMembers(a: MembersView, b: MembersView): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => {
    const x = a[key];
    const y = b[key];
    return (
      x !== undefined &&
      y !== undefined &&
      x.node === y.node &&
      x.incarnation === y.incarnation &&
      x.address === y.address &&
      x.priority === y.priority &&
      x.health === y.health &&
      x.draining === y.draining &&
      x.capacity === y.capacity &&
      x.load === y.load &&
      x.prefetch === y.prefetch
    );
  });
}
