/**
 * The virtual IP. Held only while this node leads, its session is connected (not suspended) and it
 * is healthy; never touched here once a teardown started (the teardown's `vip` step releases it).
 * A stale VIP of a previous life is cleaned at start. Configuration errors are not retried (the
 * cluster is degraded until an operator fixes them); transient errors are, with a doubling backoff.
 */
import { assertNever } from '../event.ts';
import { rejected } from './anomaly.ts';
import type { VipEvent } from './events.ts';
import { type NodeState, nextState, type VipState } from './state.ts';

export type VipReleaseReason = 'not-leader' | 'session-not-connected' | 'unhealthy' | 'stale';

export type VipDecision =
  | { readonly action: 'acquire'; readonly address: string }
  | { readonly action: 'release'; readonly address: string; readonly reason: VipReleaseReason }
  | { readonly action: 'none' };

const NONE: VipDecision = { action: 'none' };

/** Acquire, release or leave the VIP as it is. */
export function decideVip(input: { readonly now: number }, state: NodeState): VipDecision {
  const config = state.config.vip;
  if (config === null || state.lifecycle.status !== 'running') return NONE;
  const { address } = config;
  const releaseReason = reasonNotToHold(state);
  const vip = state.vip;
  if (vip.status === 'failed') {
    const wanted = releaseReason === null ? 'acquire' : 'release';
    // A config error does not heal by retrying; and a failed acquire configured nothing to release.
    if (vip.cause === 'config' && (vip.operation === wanted || vip.operation === 'acquire')) return NONE;
    const retrying = vip.operation === wanted;
    if (retrying && input.now < vip.at + retryBackoffMs(state, vip.failures)) return NONE;
  }
  if (releaseReason === null) return vip.status === 'held' ? NONE : { action: 'acquire', address };
  switch (vip.status) {
    case 'released':
      return NONE;
    case 'unknown':
      return { action: 'release', address, reason: 'stale' };
    case 'held':
    case 'failed':
      return { action: 'release', address, reason: releaseReason };
    default:
      return assertNever(vip);
  }
}

/** Why this node must not hold the VIP now, or null when it should. */
function reasonNotToHold(state: NodeState): VipReleaseReason | null {
  if (state.role.status !== 'leader') return 'not-leader';
  if (state.session.status !== 'connected') return 'session-not-connected';
  if (state.health.status !== 'healthy') return 'unhealthy';
  return null;
}

/** Wait before retrying after `failures` consecutive transient failures. */
export function retryBackoffMs(state: NodeState, failures: number): number {
  const config = state.config.vip;
  if (config === null) return 0;
  const exponent = Math.max(0, Math.min(failures - 1, 30));
  return Math.min(config.retryMaxMs, config.retryInitialMs * 2 ** exponent);
}

/** Folds a VIP result. Releasing is idempotent; acquiring twice is an anomaly. */
export function evolveVip(state: NodeState, event: VipEvent): NodeState {
  const vip = state.vip;
  const at = event.meta.at;
  switch (event.type) {
    case 'VipAcquired':
      if (vip.status === 'held')
        return rejected(state, event, 'vip-acquired-twice', 'the VIP was already held');
      return withVip(state, { status: 'held', since: at });
    case 'VipReleased':
      if (vip.status === 'released') return state;
      return withVip(state, { status: 'released', since: at });
    case 'VipFailed': {
      const again = vip.status === 'failed' && vip.operation === event.data.operation;
      const failures = again ? vip.failures + 1 : 1;
      return withVip(state, { status: 'failed', ...event.data, at, failures });
    }
    default:
      return assertNever(event);
  }
}

function withVip(state: NodeState, vip: VipState): NodeState {
  return nextState(state, { vip });
}
