/**
 * fast-check generators of single, well-formed node events with plausible data: mostly of node n1 in
 * incarnation 1, some foreign or stale.
 */
import fc from 'fast-check';
import type { MemberView } from '../../../src/domain/members.ts';
import {
  LEADERSHIP_LOSS_REASONS,
  type NodeEvent,
  type NodeEventData,
  type NodeEventType,
  nodeEvent,
  RESIGN_REASONS,
  SESSION_LOSS_REASONS,
  SHUTDOWN_TRIGGERS,
  TEARDOWN_STEPS,
} from '../../../src/domain/node/index.ts';
import { SELF } from './journal.ts';

export const time = fc.integer({ min: 0, max: 200_000 });
const small = fc.integer({ min: 0, max: 20 });
const nodeId = fc.constantFrom(SELF, 'n2', 'n3');

const meta = fc.record({
  node: fc.oneof({ weight: 9, arbitrary: fc.constant(SELF) }, { weight: 1, arbitrary: nodeId }),
  incarnation: fc.oneof(
    { weight: 8, arbitrary: fc.constant(1) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 3 }) },
  ),
  at: time,
});

/** A member view; `prefetch` is absent from some, as from a node of an older version. */
export const memberArb: fc.Arbitrary<MemberView> = fc.record(
  {
    node: nodeId,
    incarnation: fc.integer({ min: 1, max: 3 }),
    address: fc.constant('host:7070'),
    priority: small,
    health: fc.constantFrom('healthy', 'unhealthy', 'unknown'),
    draining: fc.boolean(),
    capacity: small,
    load: small,
    prefetch: small,
  },
  { requiredKeys: ['node', 'incarnation', 'address', 'priority', 'health', 'draining', 'capacity', 'load'] },
);

const step = fc.constantFrom(...TEARDOWN_STEPS);
const ev = <T extends NodeEventType>(
  type: T,
  data: fc.Arbitrary<NodeEventData<T>>,
): fc.Arbitrary<NodeEvent> => fc.tuple(data, meta).map(([d, m]) => nodeEvent(type, d, m));

/** One well-formed node event with plausible data. */
export const nodeEventArb: fc.Arbitrary<NodeEvent> = fc.oneof(
  ev('SessionConnecting', fc.record({ connectString: fc.constantFrom('zk1', 'zk1,zk2') })),
  ev(
    'SessionConnected',
    fc.record({
      sessionId: fc.constantFrom('0x1', '0x2'),
      negotiatedTimeoutMs: fc.integer({ min: 1, max: 10_000 }),
      server: fc.constantFrom('zk1', 'zk2'),
    }),
  ),
  ev('SessionSuspended', fc.record({ suspicionMs: small, deadline: time })),
  ev('SessionLost', fc.record({ reason: fc.constantFrom(...SESSION_LOSS_REASONS) })),
  ev('SessionClosed', fc.constant({})),
  ev('MembersObserved', fc.record({ members: fc.array(memberArb, { maxLength: 3 }) })),
  ev('ElectionJoinRequested', fc.record({ from: fc.constantFrom('outside', 'resigned') })),
  ev('ElectionJoined', fc.record({ sequence: small })),
  ev('LeaderObserved', fc.record({ leader: fc.option(nodeId), epoch: fc.option(small) })),
  ev('LeadershipAcquired', fc.record({ epoch: small })),
  ev('LeadershipLost', fc.record({ reason: fc.constantFrom(...LEADERSHIP_LOSS_REASONS) })),
  ev('LeadershipResigned', fc.record({ reason: fc.constantFrom(...RESIGN_REASONS), cooldownUntil: time })),
  ev('VipAcquired', fc.record({ address: fc.constant('10.0.0.100/24') })),
  ev('VipReleased', fc.record({ address: fc.constant('10.0.0.100/24') })),
  ev(
    'VipFailed',
    fc.record({
      operation: fc.constantFrom('acquire', 'release'),
      cause: fc.constantFrom('config', 'transient'),
      message: fc.string(),
      output: fc.string(),
    }),
  ),
  ev(
    'HealthChecked',
    fc.record({ probe: fc.constantFrom('net', 'cmd'), ok: fc.boolean(), detail: fc.string() }),
  ),
  ev('ShutdownRequested', fc.record({ trigger: fc.constantFrom(...SHUTDOWN_TRIGGERS) })),
  ev('ShutdownIgnored', fc.record({ trigger: fc.constantFrom(...SHUTDOWN_TRIGGERS) })),
  ev('TeardownStepStarted', fc.record({ step })),
  ev('TeardownStepCompleted', fc.record({ step })),
  ev('TeardownStepFailed', fc.record({ step, error: fc.string(), timedOut: fc.boolean() })),
  ev('TeardownFinished', fc.constant({})),
  ev(
    'RestartScheduled',
    fc.record({ attempt: fc.integer({ min: 1, max: 5 }), backoffMs: small, budgetRemaining: small }),
  ),
  ev('ServicesStarted', fc.record({ incarnation: fc.integer({ min: 1, max: 4 }) })),
  ev('RestartBudgetExhausted', fc.record({ restarts: small, windowMs: time })),
  ev('SignalReceived', fc.record({ signal: fc.constantFrom('SIGTERM', 'SIGINT', 'SIGHUP') })),
  ev('EventLoopStalled', fc.record({ delayMs: time })),
);
