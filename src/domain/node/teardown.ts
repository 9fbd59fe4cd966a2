/**
 * Shutdown and teardown: one owner, one order, exactly once (DESIGN §4, seed 000). The first trigger
 * starts the teardown; later triggers are journaled as ignored and run nothing. Steps run in the
 * fixed order runner → vip → dispatcher → quorum-leave → zk-close; a failed or timed-out step still
 * lets the next one run. Anything started twice, out of order or after zk-close is an anomaly.
 */
import { assertNever } from '../event.ts';
import { rejected } from './anomaly.ts';
import {
  type ShutdownIgnored,
  type ShutdownRequested,
  type ShutdownTrigger,
  TEARDOWN_STEPS,
  type TeardownEvent,
  type TeardownFinished,
  type TeardownStep,
  type TeardownStepStarted,
} from './events.ts';
import { recordEvent } from './meta.ts';
import { isShuttingDown, type NodeState, nextState, type TeardownStepRecord } from './state.ts';

export interface ShutdownInput {
  readonly now: number;
  readonly trigger: ShutdownTrigger;
  readonly detail?: string;
}

/** ShutdownRequested for the first trigger; ShutdownIgnored once a teardown started or finished. */
export function decideShutdown(
  input: ShutdownInput,
  state: NodeState,
): readonly (ShutdownRequested | ShutdownIgnored)[] {
  const data =
    input.detail === undefined
      ? { trigger: input.trigger }
      : { trigger: input.trigger, detail: input.detail };
  return [
    recordEvent(state, input.now, isShuttingDown(state) ? 'ShutdownIgnored' : 'ShutdownRequested', data),
  ];
}

export type TeardownNext =
  | { readonly kind: 'start'; readonly step: TeardownStep }
  | { readonly kind: 'finish' }
  | { readonly kind: 'none' };

/** The step to start now: none while one is running, outside a teardown, or once it finished. */
export function nextTeardownStep(state: NodeState): TeardownNext {
  const lifecycle = state.lifecycle;
  if (lifecycle.status !== 'tearing-down') return { kind: 'none' };
  if (lifecycle.steps.at(-1)?.status === 'running') return { kind: 'none' };
  const step = TEARDOWN_STEPS[lifecycle.steps.length];
  return step === undefined ? { kind: 'finish' } : { kind: 'start', step };
}

/** The event that moves the teardown on, if any. */
export function decideTeardown(
  input: { readonly now: number },
  state: NodeState,
): readonly (TeardownStepStarted | TeardownFinished)[] {
  const next = nextTeardownStep(state);
  switch (next.kind) {
    case 'start':
      return [recordEvent(state, input.now, 'TeardownStepStarted', { step: next.step })];
    case 'finish':
      return [recordEvent(state, input.now, 'TeardownFinished', {})];
    case 'none':
      return [];
    default:
      return assertNever(next);
  }
}

/** Folds a shutdown or teardown event. */
export function evolveTeardown(state: NodeState, event: TeardownEvent): NodeState {
  const lifecycle = state.lifecycle;
  const at = event.meta.at;
  switch (event.type) {
    case 'ShutdownRequested': {
      const { trigger, detail } = event.data;
      if (lifecycle.status === 'new' || lifecycle.status === 'running') {
        const reason = detail === undefined ? {} : { detail };
        return nextState(state, {
          lifecycle: { status: 'tearing-down', trigger, ...reason, since: at, steps: [] },
        });
      }
      // Services are already down while a restart waits: stopping just cancels the restart.
      if (lifecycle.status === 'restart-scheduled') {
        const reason = detail === undefined ? {} : { detail };
        return nextState(state, { lifecycle: { status: 'stopped', trigger, ...reason, at, steps: [] } });
      }
      return rejected(
        state,
        event,
        'shutdown-twice',
        `second shutdown (${trigger}) while ${lifecycle.status}`,
      );
    }
    case 'ShutdownIgnored':
      if (
        lifecycle.status === 'new' ||
        lifecycle.status === 'running' ||
        lifecycle.status === 'restart-scheduled'
      ) {
        return rejected(
          state,
          event,
          'shutdown-ignored-without-shutdown',
          `ignored while ${lifecycle.status}`,
        );
      }
      return state;
    case 'TeardownStepStarted':
      return startStep(state, event);
    case 'TeardownStepCompleted':
      return settleStep(state, event, { step: event.data.step, status: 'completed' });
    case 'TeardownStepFailed': {
      const { step, error, timedOut } = event.data;
      return settleStep(state, event, { step, status: 'failed', error, timedOut });
    }
    case 'TeardownFinished':
      if (lifecycle.status !== 'tearing-down') {
        const twice = lifecycle.status !== 'new' && lifecycle.status !== 'running';
        return twice
          ? rejected(state, event, 'teardown-finished-twice', 'teardown finished again')
          : rejected(state, event, 'teardown-finished-early', 'teardown finished without a shutdown');
      }
      if (nextTeardownStep(state).kind !== 'finish') {
        return rejected(
          state,
          event,
          'teardown-finished-early',
          `finished after ${lifecycle.steps.length} steps`,
        );
      }
      return nextState(state, {
        lifecycle: {
          status: 'stopped',
          trigger: lifecycle.trigger,
          ...(lifecycle.detail === undefined ? {} : { detail: lifecycle.detail }),
          at,
          steps: lifecycle.steps,
        },
      });
    default:
      return assertNever(event);
  }
}

function startStep(state: NodeState, event: TeardownStepStarted): NodeState {
  const lifecycle = state.lifecycle;
  const { step } = event.data;
  if (lifecycle.status === 'new' || lifecycle.status === 'running') {
    return rejected(state, event, 'teardown-step-without-shutdown', `${step} started without a shutdown`);
  }
  // Every finished teardown ran zk-close, so a step after it is the seed-000 double teardown.
  if (lifecycle.status !== 'tearing-down') {
    return rejected(state, event, 'teardown-step-after-close', `${step} started after the teardown finished`);
  }
  const steps = lifecycle.steps;
  if (steps.some((record) => record.step === 'zk-close')) {
    return rejected(state, event, 'teardown-step-after-close', `${step} started after zk-close`);
  }
  if (steps.some((record) => record.step === step)) {
    return rejected(state, event, 'teardown-step-repeated', `${step} started twice`);
  }
  const running = steps.at(-1);
  if (running?.status === 'running') {
    return rejected(state, event, 'teardown-step-overlap', `${step} started while ${running.step} runs`);
  }
  const expected = TEARDOWN_STEPS[steps.length];
  if (step !== expected) {
    return rejected(state, event, 'teardown-step-out-of-order', `${step} started, ${expected} expected`);
  }
  return nextState(state, { lifecycle: { ...lifecycle, steps: [...steps, { step, status: 'running' }] } });
}

function settleStep(state: NodeState, event: TeardownEvent, settled: TeardownStepRecord): NodeState {
  const lifecycle = state.lifecycle;
  const running = lifecycle.status === 'tearing-down' ? lifecycle.steps.at(-1) : undefined;
  if (lifecycle.status !== 'tearing-down' || running?.step !== settled.step || running.status !== 'running') {
    return rejected(state, event, 'teardown-step-not-running', `${settled.step} settled but was not running`);
  }
  return nextState(state, { lifecycle: { ...lifecycle, steps: [...lifecycle.steps.slice(0, -1), settled] } });
}
