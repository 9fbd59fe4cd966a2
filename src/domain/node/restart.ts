/**
 * In-process restarts ("stop serving, keep the process", seed 002). After a teardown caused by a
 * session loss the node starts its services again in a new incarnation, after an exponential
 * backoff and within a budget counted over a sliding window, so a persistent fault ends in a clear
 * RestartBudgetExhausted instead of seed 001's restart storm.
 */
import { assertNever } from '../event.ts';
import { rejected } from './anomaly.ts';
import type { RestartPolicy } from './config.ts';
import type { RestartBudgetExhausted, RestartEvent, RestartScheduled } from './events.ts';
import { recordEvent } from './meta.ts';
import { MAX_RESTART_HISTORY, type NodeState, nextState } from './state.ts';

/** RestartScheduled or RestartBudgetExhausted after a session-loss teardown; nothing otherwise. */
export function decideRestart(
  input: { readonly now: number; readonly policy: RestartPolicy },
  state: NodeState,
): readonly (RestartScheduled | RestartBudgetExhausted)[] {
  const { now, policy } = input;
  const lifecycle = state.lifecycle;
  if (lifecycle.status !== 'stopped' || lifecycle.trigger !== 'session-lost') return [];
  const recent = state.restarts.filter((at) => now - at < policy.windowMs).length;
  if (recent >= policy.budget) {
    return [
      recordEvent(state, now, 'RestartBudgetExhausted', { restarts: recent, windowMs: policy.windowMs }),
    ];
  }
  const attempt = recent + 1;
  const budgetRemaining = policy.budget - attempt;
  return [
    recordEvent(state, now, 'RestartScheduled', {
      attempt,
      backoffMs: backoffMs(policy, attempt),
      budgetRemaining,
    }),
  ];
}

/** The number of the next incarnation: above every one the journal named, even on a damaged line's neighbours. */
export function nextIncarnation(state: NodeState): number {
  return Math.max(state.incarnation, state.highestIncarnation) + 1;
}

/** initial × multiplier^(attempt-1), capped. */
export function backoffMs(policy: RestartPolicy, attempt: number): number {
  const raw = policy.initialBackoffMs * policy.multiplier ** Math.max(0, attempt - 1);
  return Math.round(Math.min(policy.maxBackoffMs, raw));
}

/** Folds a restart event; ServicesStarted begins a new incarnation with fresh session-scoped state. */
export function evolveRestart(state: NodeState, event: RestartEvent): NodeState {
  const lifecycle = state.lifecycle;
  const at = event.meta.at;
  switch (event.type) {
    case 'RestartScheduled': {
      if (lifecycle.status !== 'stopped') {
        return rejected(
          state,
          event,
          'restart-without-teardown',
          `restart scheduled while ${lifecycle.status}`,
        );
      }
      const { attempt, backoffMs } = event.data;
      const restarts = [...state.restarts, at].slice(-MAX_RESTART_HISTORY);
      return nextState(state, {
        lifecycle: { status: 'restart-scheduled', attempt, startAt: at + backoffMs },
        restarts,
      });
    }
    case 'RestartBudgetExhausted':
      if (lifecycle.status !== 'stopped') {
        return rejected(
          state,
          event,
          'restart-without-teardown',
          `budget exhausted while ${lifecycle.status}`,
        );
      }
      return nextState(state, { lifecycle: { status: 'exhausted', at } });
    case 'ProcessStarted': {
      // A new process knows nothing of the old one's session, election or VIP (a VIP may linger: unknown).
      // It may run with another configuration: the journal says which, so a replay folds the same.
      const reset: NodeState = nextState(state, {
        ...(event.data.config === undefined ? {} : { config: event.data.config }),
        session: { status: 'idle' },
        role: { status: 'outside' },
        leader: { node: null, epoch: null },
        members: {},
        fitPeersSince: null,
        vip: { status: 'unknown' },
      });
      // The last process stopped on a session loss and exited (exit-on-session-loss): a restart
      // decision is still owed, so the backoff and budget apply across processes too.
      if (lifecycle.status === 'stopped' && lifecycle.trigger === 'session-lost') return reset;
      const fresh: NodeState = nextState(reset, { lifecycle: { status: 'new' } });
      if (
        lifecycle.status === 'running' ||
        lifecycle.status === 'tearing-down' ||
        lifecycle.status === 'restart-scheduled'
      ) {
        return rejected(
          fresh,
          event,
          'process-died-without-teardown',
          `the previous process ended while ${lifecycle.status}`,
        );
      }
      return fresh;
    }
    case 'ServicesStarted': {
      const { incarnation } = event.data;
      if (incarnation <= state.highestIncarnation) {
        return rejected(
          state,
          event,
          'incarnation-not-increasing',
          `incarnation ${incarnation} <= ${state.highestIncarnation}, the highest the journal named`,
        );
      }
      if (lifecycle.status !== 'new' && lifecycle.status !== 'restart-scheduled') {
        return rejected(
          state,
          event,
          'services-started-unexpectedly',
          `services started while ${lifecycle.status}`,
        );
      }
      const started: NodeState = nextState(state, {
        incarnation,
        lifecycle: { status: 'running', since: at },
        session: { status: 'idle' },
        role: { status: 'outside' },
        leader: { node: null, epoch: null },
        members: {},
        fitPeersSince: null,
      });
      if (lifecycle.status === 'restart-scheduled' && at < lifecycle.startAt) {
        return rejected(
          started,
          event,
          'restart-before-backoff',
          `restarted ${lifecycle.startAt - at} ms early`,
        );
      }
      return started;
    }
    default:
      return assertNever(event);
  }
}
