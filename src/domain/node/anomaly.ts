/**
 * Anomalies of a node journal: events `evolve` could not apply, or that show a broken rule
 * (a second teardown, a timer firing after its owner closed, an epoch going back).
 */
import type { Anomaly } from '../event.ts';
import { MAX_ANOMALIES, type NodeState, nextState } from './state.ts';

export type NodeAnomalyKind =
  // envelope
  | 'malformed-event'
  | 'unknown-event-type'
  | 'unsupported-event-version'
  | 'foreign-node'
  | 'stale-incarnation'
  // session
  | 'session-event-after-close'
  | 'session-closed-twice'
  | 'session-closed-outside-teardown'
  | 'session-event-after-loss'
  | 'session-replaced'
  | 'connecting-while-connected'
  // leadership
  | 'epoch-not-increasing'
  | 'epoch-regressed'
  | 'not-a-candidate'
  | 'not-leader'
  | 'election-join-unexpected'
  // vip
  | 'vip-acquired-twice'
  // teardown and lifecycle
  | 'shutdown-twice'
  | 'shutdown-ignored-without-shutdown'
  | 'teardown-step-without-shutdown'
  | 'teardown-step-after-close'
  | 'teardown-step-repeated'
  | 'teardown-step-out-of-order'
  | 'teardown-step-overlap'
  | 'teardown-step-not-running'
  | 'teardown-finished-early'
  | 'teardown-finished-twice'
  | 'restart-without-teardown'
  | 'restart-before-backoff'
  | 'services-started-unexpectedly'
  | 'incarnation-not-increasing'
  | 'process-died-without-teardown';

/** An anomaly whose kind is one of the node domain's. */
export type NodeAnomaly = Anomaly & { readonly kind: NodeAnomalyKind };

/** Where an anomaly came from, when it is about an event. */
export interface AnomalySource {
  readonly type?: string;
  readonly at?: number;
}

/** The state with one more anomaly recorded (the list keeps the most recent MAX_ANOMALIES). */
export function withAnomaly(
  state: NodeState,
  kind: NodeAnomalyKind,
  message: string,
  source: AnomalySource = {},
): NodeState {
  const anomaly: Anomaly = {
    kind,
    message,
    ...(source.at === undefined ? {} : { at: source.at }),
    ...(source.type === undefined ? {} : { eventType: source.type }),
  };
  const kept = state.anomalies.length >= MAX_ANOMALIES ? state.anomalies.slice(1) : state.anomalies;
  return nextState(state, { anomalies: [...kept, anomaly], anomalyCount: state.anomalyCount + 1 });
}

/** Shorthand for an anomaly about a well-formed event. */
export function rejected(
  state: NodeState,
  event: { readonly type: string; readonly meta: { readonly at: number } },
  kind: NodeAnomalyKind,
  message: string,
): NodeState {
  return withAnomaly(state, kind, message, { type: event.type, at: event.meta.at });
}
