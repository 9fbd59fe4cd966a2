/**
 * The node fold: one `evolve` for the live node (`scan`) and for `taskd replay` (`reduce`).
 * It never throws and returns the same object when an event changes nothing; an event it cannot
 * apply leaves the state as it was, plus an anomaly.
 */
import { assertNever } from '../event.ts';
import { rejected, withAnomaly } from './anomaly.ts';
import type { NodeEvent } from './events.ts';
import { evolveHealth } from './health.ts';
import { evolveLeadership } from './leadership.ts';
import { isPlainNodeEvent, parseNodeEvent } from './parse.ts';
import { evolveRestart } from './restart.ts';
import { evolveSession } from './session.ts';
import { type NodeState, nextState } from './state.ts';
import { evolveTeardown } from './teardown.ts';
import { evolveVip } from './vip.ts';

/** The state after `event`. Safe on anything: a value that is not a valid node event is an anomaly. */
export function evolve(state: NodeState, event: NodeEvent): NodeState {
  const next = evolveEvent(state, event);
  const seen = Math.max(next.incarnation, incarnationOf(event));
  return seen > next.highestIncarnation ? nextState(next, { highestIncarnation: seen }) : next;
}

function evolveEvent(state: NodeState, event: NodeEvent): NodeState {
  // The journal is read from disk and events cross process boundaries: trust nothing, type included.
  // Most events plainly are valid, and the event parseNodeEvent would build is not needed.
  const parsed = isPlainNodeEvent(event) ? undefined : parseNodeEvent(event as unknown, {});
  if (parsed !== undefined && !parsed.ok) {
    const { kind, message, eventType } = parsed.anomaly;
    return withAnomaly(state, kind, message, {
      ...(eventType === undefined ? {} : { type: eventType }),
      ...atOf(event),
    });
  }
  const { meta } = event;
  if (meta.node !== state.config.node) {
    return rejected(
      state,
      event,
      'foreign-node',
      `event of node ${meta.node} in the journal of ${state.config.node}`,
    );
  }
  if (event.type !== 'ServicesStarted' && meta.incarnation < state.incarnation) {
    const message = `${event.type} of incarnation ${meta.incarnation} after incarnation ${state.incarnation} started`;
    return rejected(state, event, 'stale-incarnation', message);
  }
  return apply(state, event);
}

/** Folds events from a state (a whole journal from `initialState(config)`, or the rest of one). */
export function fold(state: NodeState, events: Iterable<NodeEvent>): NodeState {
  let current = state;
  for (const event of events) current = evolve(current, event);
  return current;
}

function apply(state: NodeState, event: NodeEvent): NodeState {
  switch (event.type) {
    case 'SessionConnecting':
    case 'SessionConnected':
    case 'SessionSuspended':
    case 'SessionLost':
    case 'SessionClosed':
      return evolveSession(state, event);
    case 'MembersObserved':
    case 'ElectionJoinRequested':
    case 'ElectionJoined':
    case 'LeaderObserved':
    case 'LeadershipAcquired':
    case 'LeadershipLost':
    case 'LeadershipResigned':
      return evolveLeadership(state, event);
    case 'VipAcquired':
    case 'VipReleased':
    case 'VipFailed':
      return evolveVip(state, event);
    case 'HealthChecked':
      return evolveHealth(state, event);
    case 'ShutdownRequested':
    case 'ShutdownIgnored':
    case 'TeardownStepStarted':
    case 'TeardownStepCompleted':
    case 'TeardownStepFailed':
    case 'TeardownFinished':
      return evolveTeardown(state, event);
    case 'ProcessStarted':
    case 'RestartScheduled':
    case 'ServicesStarted':
    case 'RestartBudgetExhausted':
      return evolveRestart(state, event);
    case 'StateCheckpoint':
    case 'SignalReceived':
      return state; // journaled for post-mortems; the trigger it causes is what changes state
    case 'EventLoopStalled': {
      const { delayMs } = event.data;
      const { at } = event.meta;
      if (state.lastStall?.delayMs === delayMs && state.lastStall.at === at) return state;
      return nextState(state, { lastStall: { delayMs, at } });
    }
    default:
      return assertNever(event);
  }
}

/** The incarnation a (possibly malformed) event's meta names; 0 when it names none. */
function incarnationOf(raw: unknown): number {
  const meta = metaOf(raw);
  const incarnation = meta?.incarnation;
  return typeof incarnation === 'number' && Number.isSafeInteger(incarnation) ? incarnation : 0;
}

function metaOf(raw: unknown): { readonly [key: string]: unknown } | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const meta = (raw as { meta?: unknown }).meta;
  return typeof meta === 'object' && meta !== null ? (meta as { [key: string]: unknown }) : undefined;
}

/** The `at` of a malformed event when it has a usable one. */
function atOf(raw: unknown): { at?: number } {
  const at = metaOf(raw)?.at;
  return typeof at === 'number' && Number.isFinite(at) ? { at } : {};
}
