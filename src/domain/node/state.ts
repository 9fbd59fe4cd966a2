/**
 * A node's state: a product of small machines (lifecycle, session, role, VIP, health), each a
 * discriminated union on `status`, plus what the node observed of the cluster and the anomalies
 * its journal showed.
 */
import type { Anomaly } from '../event.ts';
import type { Health, MembersView } from '../members.ts';
import type { NodeConfig } from './config.ts';
import type {
  ResignReason,
  SessionLossReason,
  ShutdownTrigger,
  TeardownStep,
  VipFailureCause,
  VipOperation,
} from './events.ts';

export interface TeardownStepRecord {
  readonly step: TeardownStep;
  readonly status: 'running' | 'completed' | 'failed';
  readonly error?: string;
  readonly timedOut?: boolean;
}

/** The process's services: one life per incarnation, ended by exactly one teardown. */
export type Lifecycle =
  | { readonly status: 'new' }
  | { readonly status: 'running'; readonly since: number }
  | {
      readonly status: 'tearing-down';
      readonly trigger: ShutdownTrigger;
      readonly detail?: string;
      readonly since: number;
      readonly steps: readonly TeardownStepRecord[];
    }
  | {
      readonly status: 'stopped';
      readonly trigger: ShutdownTrigger;
      /** Why it stopped, when the shutdown said (a fatal error: which journal, which OS error). */
      readonly detail?: string;
      readonly at: number;
      readonly steps: readonly TeardownStepRecord[];
    }
  | {
      readonly status: 'restart-scheduled';
      readonly attempt: number;
      readonly startAt: number;
    }
  | { readonly status: 'exhausted'; readonly at: number };

interface LiveSession {
  readonly sessionId: string;
  readonly negotiatedTimeoutMs: number;
  readonly server: string;
  readonly since: number;
}

export type SessionState =
  | { readonly status: 'idle' }
  | { readonly status: 'connecting'; readonly connectString: string; readonly since: number }
  | ({ readonly status: 'connected' } & LiveSession)
  | ({ readonly status: 'suspended'; readonly deadline: number } & LiveSession)
  | {
      readonly status: 'lost';
      readonly reason: SessionLossReason;
      readonly sessionId: string | null;
      readonly at: number;
    }
  | { readonly status: 'closed'; readonly at: number };

/** This node's place in the leader election. */
export type RoleState =
  | { readonly status: 'outside' }
  | { readonly status: 'joining'; readonly since: number }
  | { readonly status: 'candidate'; readonly sequence: number; readonly since: number }
  | { readonly status: 'leader'; readonly sequence: number; readonly epoch: number; readonly since: number }
  | {
      readonly status: 'resigned';
      readonly reason: ResignReason;
      readonly cooldownUntil: number;
      readonly since: number;
    };

/** The VIP on this node. `unknown` at start: a stale VIP of a previous life may still be configured. */
export type VipState =
  | { readonly status: 'unknown' }
  | { readonly status: 'released'; readonly since: number }
  | { readonly status: 'held'; readonly since: number }
  | {
      readonly status: 'failed';
      readonly operation: VipOperation;
      readonly cause: VipFailureCause;
      readonly message: string;
      readonly output: string;
      readonly at: number;
      /** Consecutive failures of this operation (drives the retry backoff). */
      readonly failures: number;
    };

export interface ProbeHealth {
  readonly status: Health;
  readonly okStreak: number;
  readonly failStreak: number;
  /** Detail of the check that last changed the status. */
  readonly detail: string;
}

export interface HealthState {
  /** Worst of the probes: unhealthy if any is, unknown until every probe has risen. */
  readonly status: Health;
  readonly probes: Readonly<Record<string, ProbeHealth>>;
  /** When `status` last changed (0: never). */
  readonly since: number;
}

export interface ObservedLeader {
  readonly node: string | null;
  readonly epoch: number | null;
}

export interface NodeState {
  readonly config: NodeConfig;
  /** 0 until the first ServicesStarted. */
  readonly incarnation: number;
  /**
   * Highest incarnation any journaled event named, a rejected one included: when a damaged line
   * hid an incarnation's ServicesStarted, its later events still name it, and no new incarnation
   * may reuse the number. Only grows.
   */
  readonly highestIncarnation: number;
  readonly lifecycle: Lifecycle;
  readonly session: SessionState;
  readonly role: RoleState;
  /** Session-scoped views from watches: cleared when the session is lost or closed. */
  readonly leader: ObservedLeader;
  readonly members: MembersView;
  /** Since when another member has been fit to lead without a break, as the member views say; null: none is. */
  readonly fitPeersSince: number | null;
  /** Highest epoch this node has seen; only grows. */
  readonly highestEpoch: number;
  readonly health: HealthState;
  readonly vip: VipState;
  /** Times (meta.at) of recent RestartScheduled events, oldest first, at most MAX_RESTART_HISTORY. */
  readonly restarts: readonly number[];
  readonly lastStall: { readonly delayMs: number; readonly at: number } | null;
  /** The most recent anomalies (at most MAX_ANOMALIES) and how many there were in all. */
  readonly anomalies: readonly Anomaly[];
  readonly anomalyCount: number;
}

export const MAX_ANOMALIES = 100;
export const MAX_RESTART_HISTORY = 256;

/** The state of a node before its journal's first event. */
export function initialState(config: NodeConfig): NodeState {
  return {
    config,
    incarnation: 0,
    highestIncarnation: 0,
    lifecycle: { status: 'new' },
    session: { status: 'idle' },
    role: { status: 'outside' },
    leader: { node: null, epoch: null },
    members: {},
    fitPeersSince: null,
    highestEpoch: 0,
    health: { status: 'unknown', probes: {}, since: 0 },
    vip: { status: 'unknown' },
    restarts: [],
    lastStall: null,
    anomalies: [],
    anomalyCount: 0,
  };
}

/**
 * `{ ...state, ...changes }`, built as one object literal of every field: V8 copies a spread of an
 * object that was itself made by a spread on its slow path (~0.35 µs for a NodeState, as much as
 * the rest of folding an event), and a state is always made from the one before. Every transition
 * makes its next state here, so every state has the literal's shape.
 */
export function nextState(state: NodeState, changes: Partial<NodeState>): NodeState {
  return Object.assign(copyOf(state), changes);
}

function copyOf(state: NodeState): NodeState {
  return {
    config: state.config,
    incarnation: state.incarnation,
    highestIncarnation: state.highestIncarnation,
    lifecycle: state.lifecycle,
    session: state.session,
    role: state.role,
    leader: state.leader,
    members: state.members,
    fitPeersSince: state.fitPeersSince,
    highestEpoch: state.highestEpoch,
    health: state.health,
    vip: state.vip,
    restarts: state.restarts,
    lastStall: state.lastStall,
    anomalies: state.anomalies,
    anomalyCount: state.anomalyCount,
  };
}

/** Is a teardown under way or done (so nothing new may start in this incarnation)? */
export function isShuttingDown(state: NodeState): boolean {
  const status = state.lifecycle.status;
  return status === 'tearing-down' || status === 'stopped' || status === 'exhausted';
}
