/**
 * Random "scripts" for property tests: raw events mixed with what the decide functions say and with
 * how the world answers (elections, reconnects, restarts, probes), so random runs walk the real paths
 * (elections, teardowns, restarts) instead of bouncing off the first rejected event.
 */
import fc from 'fast-check';
import type { MemberView } from '../../../src/domain/members.ts';
import {
  DEFAULT_RESTART_POLICY,
  decideLeadership,
  decideRestart,
  decideSessionSignal,
  decideSessionTimer,
  decideShutdown,
  decideTeardown,
  decideVip,
  evolve,
  initialState,
  type NodeConfig,
  type NodeEvent,
  type NodeState,
  nodeEvent,
  recordEvent,
} from '../../../src/domain/node/index.ts';
import { memberArb, nodeEventArb, time } from './arbitraries.ts';
import { SELF } from './journal.ts';

/** A step of a script: a raw event, or "ask this decision (or the world) now and journal what it says". */
export type ScriptStep =
  | { readonly kind: 'event'; readonly event: NodeEvent }
  | {
      readonly kind: 'decide';
      readonly decision: Decision;
      readonly now: number;
      readonly members: MemberView[];
    };

type Decision =
  | 'shutdown'
  | 'teardown'
  | 'settle'
  | 'timer'
  | 'disconnect'
  | 'leadership'
  | 'restart'
  | 'vip'
  // the world answering: the ensemble elects, the client reconnects, services start, a probe runs
  | 'elect'
  | 'reconnect'
  | 'start'
  | 'healthy'
  | 'unhealthy';
const decisions: Decision[] = [
  'shutdown',
  'teardown',
  'teardown',
  'settle',
  'settle',
  'timer',
  'disconnect',
  'leadership',
  'restart',
  'vip',
  'elect',
  'reconnect',
  'start',
  'healthy',
  'unhealthy',
];

const WORLD: ReadonlySet<Decision> = new Set(['elect', 'reconnect', 'start', 'healthy', 'unhealthy']);

/** Is this step a domain decision (a `decide…` function), not the world answering? */
export function isDomainDecision(step: ScriptStep): step is Extract<ScriptStep, { kind: 'decide' }> {
  return step.kind === 'decide' && !WORLD.has(step.decision);
}

const decideStep = fc
  .record({
    decision: fc.constantFrom(...decisions),
    now: time,
    members: fc.array(memberArb, { maxLength: 3 }),
  })
  .map((d): ScriptStep => ({ kind: 'decide', ...d }));

const runningPrelude: ScriptStep[] = [
  {
    kind: 'event',
    event: nodeEvent('ServicesStarted', { incarnation: 1 }, { node: SELF, incarnation: 1, at: 0 }),
  },
  {
    kind: 'event',
    event: nodeEvent(
      'SessionConnected',
      { sessionId: '0x1', negotiatedTimeoutMs: 6_000, server: 'zk1' },
      { node: SELF, incarnation: 1, at: 1 },
    ),
  },
];

/** Scripts: usually from a running, connected node; decisions and world answers outweigh raw noise. */
export const scriptArb: fc.Arbitrary<ScriptStep[]> = fc
  .tuple(
    fc.boolean(),
    fc.array(
      fc.oneof(
        { weight: 1, arbitrary: nodeEventArb.map((event): ScriptStep => ({ kind: 'event', event })) },
        { weight: 3, arbitrary: decideStep },
      ),
      { maxLength: 120, size: 'max' },
    ),
  )
  .map(([fromRunning, steps]) => (fromRunning ? [...runningPrelude, ...steps] : steps));

/** What a decision step journals in this state. */
export function decided(
  stepToRun: Extract<ScriptStep, { kind: 'decide' }>,
  state: NodeState,
): readonly NodeEvent[] {
  const { now, members } = stepToRun;
  switch (stepToRun.decision) {
    case 'shutdown':
      return decideShutdown(
        { now, trigger: state.session.status === 'lost' ? 'session-lost' : 'SIGTERM' },
        state,
      );
    case 'teardown':
      return decideTeardown({ now }, state);
    case 'settle': {
      const running = state.lifecycle.status === 'tearing-down' ? state.lifecycle.steps.at(-1) : undefined;
      if (running?.status !== 'running') return [];
      return [recordEvent(state, now, 'TeardownStepCompleted', { step: running.step })];
    }
    case 'timer':
      return decideSessionTimer({ now }, state);
    case 'disconnect':
      return decideSessionSignal({ now, signal: { kind: 'disconnected' } }, state);
    case 'leadership':
      return decideLeadership({ now, members: Object.fromEntries(members.map((m) => [m.node, m])) }, state);
    case 'restart':
      return decideRestart({ now, policy: DEFAULT_RESTART_POLICY }, state);
    case 'vip': {
      const vip = decideVip({ now }, state);
      if (vip.action === 'none') return [];
      return [
        recordEvent(state, now, vip.action === 'acquire' ? 'VipAcquired' : 'VipReleased', {
          address: vip.address,
        }),
      ];
    }
    default:
      return world(stepToRun.decision, now, state);
  }
}

/** How ZooKeeper, the process and the probes answer, when the state lets them. */
function world(decision: Decision, now: number, state: NodeState): readonly NodeEvent[] {
  const next = state.highestEpoch + 1;
  switch (decision) {
    case 'elect':
      if (state.role.status === 'joining')
        return [recordEvent(state, now, 'ElectionJoined', { sequence: next })];
      if (state.role.status === 'candidate')
        return [recordEvent(state, now, 'LeadershipAcquired', { epoch: next })];
      return [];
    case 'reconnect': {
      const session = state.session;
      if (session.status !== 'suspended') return [];
      const { sessionId, negotiatedTimeoutMs } = session;
      return [recordEvent(state, now, 'SessionConnected', { sessionId, negotiatedTimeoutMs, server: 'zk2' })];
    }
    case 'start': {
      const lifecycle = state.lifecycle;
      if (lifecycle.status !== 'restart-scheduled' && lifecycle.status !== 'new') return [];
      const incarnation = state.incarnation + 1;
      const at = lifecycle.status === 'restart-scheduled' ? Math.max(now, lifecycle.startAt) : now;
      return [nodeEvent('ServicesStarted', { incarnation }, { node: state.config.node, incarnation, at })];
    }
    case 'healthy':
    case 'unhealthy':
      return [
        recordEvent(state, now, 'HealthChecked', { probe: 'net', ok: decision === 'healthy', detail: '' }),
      ];
    default:
      return [];
  }
}

/** Runs a script from the initial state: every event journaled, and the state after each. */
export function runScript(
  config: NodeConfig,
  script: readonly ScriptStep[],
): { events: NodeEvent[]; states: NodeState[] } {
  let state = initialState(config);
  const events: NodeEvent[] = [];
  const states: NodeState[] = [state];
  for (const scriptStep of script) {
    const produced = scriptStep.kind === 'event' ? [scriptStep.event] : decided(scriptStep, state);
    for (const event of produced) {
      state = evolve(state, event);
      events.push(event);
      states.push(state);
    }
  }
  return { events, states };
}
