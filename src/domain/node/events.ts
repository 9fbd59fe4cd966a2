/**
 * Events of a node's journal: every input the node sees, recorded before it changes state.
 * Past tense, version 1. Observations (session, watches, VIP and teardown results) are written by
 * the streams layer; decisions (shutdown, resign, restart, session suspicion) come from `decide…`.
 */
import type { DomainEvent, EventMeta } from '../event.ts';
import type { MemberView } from '../members.ts';
import type { NodeConfig } from './config.ts';

/** Teardown steps, in the only order they may run (DESIGN §4). */
export const TEARDOWN_STEPS = ['runner', 'vip', 'dispatcher', 'quorum-leave', 'zk-close'] as const;
export type TeardownStep = (typeof TEARDOWN_STEPS)[number];

/** What can start a teardown; `process-exit` is the last-chance path (the seed's destructors). */
export const SHUTDOWN_TRIGGERS = [
  'SIGTERM',
  'SIGINT',
  'session-lost',
  'fatal',
  'api',
  'health',
  'vip-config',
  'process-exit',
] as const;
export type ShutdownTrigger = (typeof SHUTDOWN_TRIGGERS)[number];

export const SESSION_LOSS_REASONS = [
  'suspicion-timeout',
  'expired',
  'auth-failed',
  'closed-by-server',
] as const;
export type SessionLossReason = (typeof SESSION_LOSS_REASONS)[number];

export const LEADERSHIP_LOSS_REASONS = ['session-lost', 'fenced', 'superseded', 'shutdown'] as const;
export type LeadershipLossReason = (typeof LEADERSHIP_LOSS_REASONS)[number];

export const RESIGN_REASONS = ['unhealthy', 'draining', 'priority', 'operator'] as const;
export type ResignReason = (typeof RESIGN_REASONS)[number];

/** `config`: bad address, unknown interface, no route (never retried); `transient`: network errors (retried). */
export type VipFailureCause = 'config' | 'transient';
export type VipOperation = 'acquire' | 'release';

type NodeEventOfShape<T extends string, D> = DomainEvent<T, D> & { readonly version: 1 };

// ZooKeeper session
export type SessionConnecting = NodeEventOfShape<'SessionConnecting', { readonly connectString: string }>;
export type SessionConnected = NodeEventOfShape<
  'SessionConnected',
  { readonly sessionId: string; readonly negotiatedTimeoutMs: number; readonly server: string }
>;
/**
 * The connection dropped; the session is suspected dead at `deadline` = suspicionMs after the last
 * reply from the server (`lastHeardAt`, when the adapter knew it; else after `at`).
 */
export type SessionSuspended = NodeEventOfShape<
  'SessionSuspended',
  { readonly suspicionMs: number; readonly deadline: number; readonly lastHeardAt?: number }
>;
export type SessionLost = NodeEventOfShape<'SessionLost', { readonly reason: SessionLossReason }>;
export type SessionClosed = NodeEventOfShape<'SessionClosed', Readonly<Record<string, never>>>;

// Membership and leadership
export type MembersObserved = NodeEventOfShape<
  'MembersObserved',
  { readonly members: readonly MemberView[] }
>;
/** A decision: (re)enter the election; the streams layer creates the candidate znode. */
export type ElectionJoinRequested = NodeEventOfShape<
  'ElectionJoinRequested',
  { readonly from: 'outside' | 'resigned' }
>;
export type ElectionJoined = NodeEventOfShape<'ElectionJoined', { readonly sequence: number }>;
export type LeaderObserved = NodeEventOfShape<
  'LeaderObserved',
  { readonly leader: string | null; readonly epoch: number | null }
>;
export type LeadershipAcquired = NodeEventOfShape<'LeadershipAcquired', { readonly epoch: number }>;
export type LeadershipLost = NodeEventOfShape<'LeadershipLost', { readonly reason: LeadershipLossReason }>;
export type LeadershipResigned = NodeEventOfShape<
  'LeadershipResigned',
  { readonly reason: ResignReason; readonly cooldownUntil: number }
>;

// VIP and health
export type VipAcquired = NodeEventOfShape<'VipAcquired', { readonly address: string }>;
export type VipReleased = NodeEventOfShape<'VipReleased', { readonly address: string }>;
export type VipFailed = NodeEventOfShape<
  'VipFailed',
  {
    readonly operation: VipOperation;
    readonly cause: VipFailureCause;
    readonly message: string;
    readonly output: string;
  }
>;
export type HealthChecked = NodeEventOfShape<
  'HealthChecked',
  { readonly probe: string; readonly ok: boolean; readonly detail: string }
>;

// Shutdown and teardown
export type ShutdownRequested = NodeEventOfShape<
  'ShutdownRequested',
  { readonly trigger: ShutdownTrigger; readonly detail?: string }
>;
export type ShutdownIgnored = NodeEventOfShape<
  'ShutdownIgnored',
  { readonly trigger: ShutdownTrigger; readonly detail?: string }
>;
export type TeardownStepStarted = NodeEventOfShape<'TeardownStepStarted', { readonly step: TeardownStep }>;
export type TeardownStepCompleted = NodeEventOfShape<
  'TeardownStepCompleted',
  { readonly step: TeardownStep }
>;
export type TeardownStepFailed = NodeEventOfShape<
  'TeardownStepFailed',
  { readonly step: TeardownStep; readonly error: string; readonly timedOut: boolean }
>;
export type TeardownFinished = NodeEventOfShape<'TeardownFinished', Readonly<Record<string, never>>>;

// Restarts and process
export type RestartScheduled = NodeEventOfShape<
  'RestartScheduled',
  { readonly attempt: number; readonly backoffMs: number; readonly budgetRemaining: number }
>;
export type ServicesStarted = NodeEventOfShape<'ServicesStarted', { readonly incarnation: number }>;
/** A taskd process opened this journal (a journal outlives processes: restarts and budgets carry over). */
export type ProcessStarted = NodeEventOfShape<
  'ProcessStarted',
  { readonly pid: number; readonly version: string; readonly config?: NodeConfig }
>;
/**
 * Hashes of the live state, journaled now and then, so a replay can prove it rebuilt the same
 * states: `node` is the hash of this node's state before the checkpoint, `tasks` the hash of its
 * fold of the task log up to `position`.
 */
export type StateCheckpoint = NodeEventOfShape<
  'StateCheckpoint',
  { readonly node: string; readonly tasks?: { readonly position: number; readonly hash: string } }
>;
export type RestartBudgetExhausted = NodeEventOfShape<
  'RestartBudgetExhausted',
  { readonly restarts: number; readonly windowMs: number }
>;
export type SignalReceived = NodeEventOfShape<'SignalReceived', { readonly signal: string }>;
export type EventLoopStalled = NodeEventOfShape<'EventLoopStalled', { readonly delayMs: number }>;

export type SessionEvent =
  | SessionConnecting
  | SessionConnected
  | SessionSuspended
  | SessionLost
  | SessionClosed;
export type LeadershipEvent =
  | MembersObserved
  | ElectionJoinRequested
  | ElectionJoined
  | LeaderObserved
  | LeadershipAcquired
  | LeadershipLost
  | LeadershipResigned;
export type VipEvent = VipAcquired | VipReleased | VipFailed;
export type TeardownEvent =
  | ShutdownRequested
  | ShutdownIgnored
  | TeardownStepStarted
  | TeardownStepCompleted
  | TeardownStepFailed
  | TeardownFinished;
export type RestartEvent = ProcessStarted | RestartScheduled | ServicesStarted | RestartBudgetExhausted;
export type ProcessEvent = SignalReceived | EventLoopStalled | StateCheckpoint;

export type NodeEvent =
  | SessionEvent
  | LeadershipEvent
  | VipEvent
  | HealthChecked
  | TeardownEvent
  | RestartEvent
  | ProcessEvent;
export type NodeEventType = NodeEvent['type'];
export type NodeEventOf<T extends NodeEventType> = Extract<NodeEvent, { type: T }>;
export type NodeEventData<T extends NodeEventType> = NodeEventOf<T>['data'];

/** Builds a node event of the current version. */
export function nodeEvent<T extends NodeEventType>(
  type: T,
  data: NodeEventData<T>,
  meta: EventMeta,
): NodeEventOf<T> {
  return { type, version: 1, data, meta } as NodeEventOf<T>;
}
