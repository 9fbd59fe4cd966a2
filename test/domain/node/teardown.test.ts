import { describe, expect, it } from 'vitest';
import {
  decideShutdown,
  decideTeardown,
  type NodeEvent,
  nextTeardownStep,
  TEARDOWN_STEPS,
  type TeardownStep,
} from '../../../src/domain/node/index.ts';
import { given } from './given.ts';
import { e, startedAndConnected } from './journal.ts';

const running = startedAndConnected();
const requested = [...running, e('ShutdownRequested', 100, { trigger: 'SIGTERM' })];

/** Every step started and completed, from `at`, 10 ms apart. */
function allSteps(at: number, steps: readonly TeardownStep[] = TEARDOWN_STEPS): NodeEvent[] {
  return steps.flatMap((step, i) => [
    e('TeardownStepStarted', at + i * 10, { step }),
    e('TeardownStepCompleted', at + i * 10 + 5, { step }),
  ]);
}

describe('decideShutdown', () => {
  it('requests a teardown for the first trigger', () => {
    given(...running)
      .when((state) => decideShutdown({ now: 100, trigger: 'SIGTERM' }, state))
      .then([e('ShutdownRequested', 100, { trigger: 'SIGTERM' })])
      .thenState({ lifecycle: { status: 'tearing-down', trigger: 'SIGTERM', since: 100, steps: [] } });
  });

  it('keeps the detail of the trigger', () => {
    given(...running)
      .when((state) => decideShutdown({ now: 100, trigger: 'fatal', detail: 'dispatcher crashed' }, state))
      .then([e('ShutdownRequested', 100, { trigger: 'fatal', detail: 'dispatcher crashed' })]);
  });

  it('ignores later triggers while the teardown runs and after it finished', () => {
    given(...requested)
      .when((state) => decideShutdown({ now: 150, trigger: 'SIGINT' }, state))
      .then([e('ShutdownIgnored', 150, { trigger: 'SIGINT' })])
      .thenState({ lifecycle: { status: 'tearing-down', trigger: 'SIGTERM' } });
    given(...requested, ...allSteps(110), e('TeardownFinished', 200, {}))
      .when((state) => decideShutdown({ now: 250, trigger: 'process-exit' }, state))
      .then([e('ShutdownIgnored', 250, { trigger: 'process-exit' })]);
  });

  it('cancels a scheduled restart instead of tearing down again', () => {
    const scheduled = [
      ...running,
      e('ShutdownRequested', 100, { trigger: 'session-lost' }),
      ...allSteps(110),
      e('TeardownFinished', 200, {}),
      e('RestartScheduled', 210, { attempt: 1, backoffMs: 1_000, budgetRemaining: 4 }),
    ];
    given(...scheduled)
      .when((state) => decideShutdown({ now: 300, trigger: 'SIGTERM' }, state))
      .then([e('ShutdownRequested', 300, { trigger: 'SIGTERM' })])
      .thenState({ lifecycle: { status: 'stopped', trigger: 'SIGTERM', steps: [] } });
  });
});

describe('teardown steps', () => {
  it('offers the steps one at a time in the fixed order, then the finish', () => {
    const offered: string[] = [];
    let events: NodeEvent[] = [...requested];
    for (let t = 110; t < 200; t += 10) {
      const next = nextTeardownStep(given(...events).state);
      if (next.kind !== 'start') {
        offered.push(next.kind);
        break;
      }
      offered.push(next.step);
      expect(
        nextTeardownStep(given(...events, e('TeardownStepStarted', t, { step: next.step })).state),
      ).toEqual({
        kind: 'none',
      });
      events = [
        ...events,
        e('TeardownStepStarted', t, { step: next.step }),
        e('TeardownStepCompleted', t + 1, { step: next.step }),
      ];
    }
    expect(offered).toEqual([...TEARDOWN_STEPS, 'finish']);
  });

  it('offers nothing outside a teardown or once it finished', () => {
    given(...running)
      .when(nextTeardownStep)
      .then({ kind: 'none' });
    given(...requested, ...allSteps(110), e('TeardownFinished', 200, {}))
      .when(nextTeardownStep)
      .then({ kind: 'none' });
  });

  it('lets the next step run after a failed or timed-out step', () => {
    given(
      ...requested,
      e('TeardownStepStarted', 110, { step: 'runner' }),
      e('TeardownStepFailed', 120, {
        step: 'runner',
        error: 'drain timed out after 10000 ms',
        timedOut: true,
      }),
    )
      .when(nextTeardownStep)
      .then({ kind: 'start', step: 'vip' })
      .thenState({
        lifecycle: {
          steps: [
            { step: 'runner', status: 'failed', error: 'drain timed out after 10000 ms', timedOut: true },
          ],
        },
      });
  });

  it('decides the event that moves the teardown on', () => {
    given(...requested)
      .when((state) => decideTeardown({ now: 110 }, state))
      .then([e('TeardownStepStarted', 110, { step: 'runner' })]);
    given(...requested, ...allSteps(110))
      .when((state) => decideTeardown({ now: 200 }, state))
      .then([e('TeardownFinished', 200, {})])
      .thenState({ lifecycle: { status: 'stopped', trigger: 'SIGTERM', at: 200 } });
    given(...requested, e('TeardownStepStarted', 110, { step: 'runner' }))
      .when((state) => decideTeardown({ now: 200 }, state))
      .then([]);
  });

  it('flags a step without a shutdown', () => {
    given(...running)
      .whenEvent(e('TeardownStepStarted', 110, { step: 'runner' }))
      .thenAnomaly('teardown-step-without-shutdown');
  });

  it('flags a step started twice', () => {
    given(...requested, ...allSteps(110, ['runner']))
      .whenEvent(e('TeardownStepStarted', 130, { step: 'runner' }))
      .thenAnomaly('teardown-step-repeated');
  });

  it('flags a step out of order', () => {
    given(...requested)
      .whenEvent(e('TeardownStepStarted', 110, { step: 'vip' }))
      .thenAnomaly('teardown-step-out-of-order');
  });

  it('flags a step started while another runs', () => {
    given(...requested, e('TeardownStepStarted', 110, { step: 'runner' }))
      .whenEvent(e('TeardownStepStarted', 111, { step: 'vip' }))
      .thenAnomaly('teardown-step-overlap');
  });

  it('flags any step after zk-close, during or after the teardown', () => {
    given(...requested, ...allSteps(110))
      .whenEvent(e('TeardownStepStarted', 200, { step: 'zk-close' }))
      .thenAnomaly('teardown-step-after-close');
    given(...requested, ...allSteps(110), e('TeardownFinished', 200, {}))
      .whenEvent(e('TeardownStepStarted', 210, { step: 'runner' }))
      .thenAnomaly('teardown-step-after-close');
  });

  it('flags a result for a step that is not running', () => {
    given(...requested)
      .whenEvent(e('TeardownStepCompleted', 110, { step: 'runner' }))
      .thenAnomaly('teardown-step-not-running');
    given(...requested, ...allSteps(110, ['runner']))
      .whenEvent(e('TeardownStepFailed', 130, { step: 'runner', error: 'again', timedOut: false }))
      .thenAnomaly('teardown-step-not-running');
  });

  it('flags a finish before every step settled, and a second finish', () => {
    given(...requested, ...allSteps(110, ['runner', 'vip']))
      .whenEvent(e('TeardownFinished', 150, {}))
      .thenAnomaly('teardown-finished-early');
    given(...requested, ...allSteps(110), e('TeardownFinished', 200, {}))
      .whenEvent(e('TeardownFinished', 210, {}))
      .thenAnomaly('teardown-finished-twice');
  });

  it('flags a second ShutdownRequested, and an ignore without a shutdown', () => {
    given(...requested)
      .whenEvent(e('ShutdownRequested', 150, { trigger: 'session-lost' }))
      .thenAnomaly('shutdown-twice');
    given(...running)
      .whenEvent(e('ShutdownIgnored', 150, { trigger: 'SIGINT' }))
      .thenAnomaly('shutdown-ignored-without-shutdown');
  });

  it('records an ignored trigger without changing state', () => {
    given(...requested)
      .whenEvent(e('ShutdownIgnored', 150, { trigger: 'SIGINT' }))
      .thenUnchanged();
  });
});
