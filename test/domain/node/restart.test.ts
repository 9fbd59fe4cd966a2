import { describe, expect, it } from 'vitest';
import {
  decideRestart,
  decideShutdown,
  decideTeardown,
  fold,
  initialState,
  type NodeEvent,
  type NodeState,
  nextIncarnation,
  type RestartPolicy,
  TEARDOWN_STEPS,
} from '../../../src/domain/node/index.ts';
import { given } from './given.ts';
import { e, startedAndConnected, testConfig, winElection } from './journal.ts';

const policy: RestartPolicy = {
  initialBackoffMs: 1_000,
  multiplier: 2,
  maxBackoffMs: 5_000,
  budget: 3,
  windowMs: 60_000,
};

/** A teardown of incarnation `incarnation` for `trigger`, finished at `at + 60`. */
function tornDown(
  at: number,
  incarnation: number,
  trigger: 'session-lost' | 'SIGTERM' = 'session-lost',
): NodeEvent[] {
  const meta = { incarnation };
  return [
    e('ShutdownRequested', at, { trigger }, meta),
    ...TEARDOWN_STEPS.flatMap((step, i) => [
      e('TeardownStepStarted', at + 1 + i * 10, { step }, meta),
      e('TeardownStepCompleted', at + 5 + i * 10, { step }, meta),
    ]),
    e('TeardownFinished', at + 60, {}, meta),
  ];
}

/** Loses the session and restarts as the decisions say, until the budget is exhausted; returns the journal. */
function lossAfterLoss(lossTimes: readonly number[]): { events: NodeEvent[]; state: NodeState } {
  let state = fold(initialState(testConfig()), startedAndConnected());
  const events: NodeEvent[] = [];
  const record = (decided: readonly NodeEvent[]) => {
    events.push(...decided);
    state = fold(state, decided);
  };
  const current = (): NodeState => state;
  for (const lossAt of lossTimes) {
    if (state.lifecycle.status !== 'running') break;
    record([e('SessionLost', lossAt, { reason: 'expired' }, { incarnation: state.incarnation })]);
    record(decideShutdown({ now: lossAt, trigger: 'session-lost' }, state));
    for (let step = 0; step <= TEARDOWN_STEPS.length; step += 1) {
      const [next] = decideTeardown({ now: lossAt + step }, state);
      if (next === undefined) break;
      record([next]);
      if (next.type === 'TeardownStepStarted') {
        record([
          e(
            'TeardownStepCompleted',
            lossAt + step,
            { step: next.data.step },
            { incarnation: state.incarnation },
          ),
        ]);
      }
    }
    record(decideRestart({ now: lossAt + 10, policy }, state));
    const lifecycle = current().lifecycle; // `record` replaced `state` since the check above
    if (lifecycle.status === 'restart-scheduled') {
      record([
        e(
          'ServicesStarted',
          lifecycle.startAt,
          { incarnation: state.incarnation + 1 },
          { incarnation: state.incarnation + 1 },
        ),
      ]);
    }
  }
  return { events, state };
}

describe('decideRestart', () => {
  it('schedules the first restart after a session-loss teardown', () => {
    given(...startedAndConnected(), ...tornDown(1_000, 1))
      .when((state) => decideRestart({ now: 1_100, policy }, state))
      .then([e('RestartScheduled', 1_100, { attempt: 1, backoffMs: 1_000, budgetRemaining: 2 })])
      .thenState({
        lifecycle: { status: 'restart-scheduled', attempt: 1, startAt: 2_100 },
        restarts: [1_100],
      });
  });

  it('does not restart after a teardown for any other trigger, or before a teardown finished', () => {
    given(...startedAndConnected(), ...tornDown(1_000, 1, 'SIGTERM'))
      .when((state) => decideRestart({ now: 1_100, policy }, state))
      .then([]);
    given(...startedAndConnected(), ...tornDown(1_000, 1).slice(0, 4))
      .when((state) => decideRestart({ now: 1_100, policy }, state))
      .then([]);
    given(...startedAndConnected())
      .when((state) => decideRestart({ now: 1_100, policy }, state))
      .then([]);
  });

  it('backs off exponentially, counts the budget down, and stops at the budget', () => {
    const { events, state } = lossAfterLoss([1_000, 5_000, 12_000, 20_000, 30_000]);
    const decided = events.filter(
      (event) => event.type === 'RestartScheduled' || event.type === 'RestartBudgetExhausted',
    );
    expect(decided.map((event) => event.data)).toEqual([
      { attempt: 1, backoffMs: 1_000, budgetRemaining: 2 },
      { attempt: 2, backoffMs: 2_000, budgetRemaining: 1 },
      { attempt: 3, backoffMs: 4_000, budgetRemaining: 0 },
      { restarts: 3, windowMs: 60_000 },
    ]);
    expect(state.lifecycle.status).toBe('exhausted');
    expect(state.incarnation).toBe(4);
    expect(state.anomalyCount).toBe(0);
  });

  it('caps the backoff', () => {
    const wide = { ...policy, budget: 10 };
    let state = given(...startedAndConnected(), ...tornDown(1_000, 1)).state;
    state = { ...state, restarts: [10, 20, 30, 40, 50] };
    expect(decideRestart({ now: 1_100, policy: wide }, state)).toEqual([
      e('RestartScheduled', 1_100, { attempt: 6, backoffMs: 5_000, budgetRemaining: 4 }),
    ]);
  });

  it('forgets restarts that fell out of the window', () => {
    const { events } = lossAfterLoss([1_000, 5_000, 12_000, 100_000]);
    const last = events.filter((event) => event.type === 'RestartScheduled').at(-1);
    expect(last?.data).toEqual({ attempt: 1, backoffMs: 1_000, budgetRemaining: 2 });
  });
});

describe('restart transitions', () => {
  const scheduled = [
    ...startedAndConnected(),
    ...winElection(20, 7),
    e('SessionLost', 900, { reason: 'expired' }),
    ...tornDown(1_000, 1),
    e('RestartScheduled', 1_100, { attempt: 1, backoffMs: 1_000, budgetRemaining: 2 }),
  ];

  it('starts a new incarnation with a fresh session, role and views, keeping epochs and health', () => {
    given(...scheduled)
      .whenEvent(e('ServicesStarted', 2_100, { incarnation: 2 }, { incarnation: 2 }))
      .thenState({
        incarnation: 2,
        lifecycle: { status: 'running', since: 2_100 },
        session: { status: 'idle' },
        role: { status: 'outside' },
        leader: { node: null, epoch: null },
        members: {},
        highestEpoch: 7,
        restarts: [1_100],
        anomalyCount: 0,
      });
  });

  it('flags a restart before its backoff ran out, but records it', () => {
    const { after } = given(...scheduled).whenEvent(
      e('ServicesStarted', 1_500, { incarnation: 2 }, { incarnation: 2 }),
    );
    expect(after.lifecycle.status).toBe('running');
    expect(after.anomalies.map((a) => a.kind)).toEqual(['restart-before-backoff']);
  });

  it('refuses a restart that was not scheduled or does not raise the incarnation', () => {
    given(...startedAndConnected())
      .whenEvent(e('ServicesStarted', 500, { incarnation: 2 }, { incarnation: 2 }))
      .thenAnomaly('services-started-unexpectedly');
    given(...scheduled)
      .whenEvent(e('ServicesStarted', 2_100, { incarnation: 1 }))
      .thenAnomaly('incarnation-not-increasing');
  });

  it('refuses scheduling or exhausting outside a finished teardown', () => {
    given(...startedAndConnected())
      .whenEvent(e('RestartScheduled', 100, { attempt: 1, backoffMs: 1_000, budgetRemaining: 2 }))
      .thenAnomaly('restart-without-teardown');
    given(...startedAndConnected())
      .whenEvent(e('RestartBudgetExhausted', 100, { restarts: 3, windowMs: 60_000 }))
      .thenAnomaly('restart-without-teardown');
  });

  it('numbers the next incarnation above every one the journal named, when a damaged line hid a start', () => {
    // Incarnation 2's ServicesStarted was on a damaged line; its later events still name it, and a
    // malformed event names incarnation 3: neither number may be used again.
    const journal = [
      ...scheduled,
      e('SessionConnecting', 2_110, { connectString: 'zk1:2181' }, { incarnation: 2 }),
      { ...e('SessionLost', 2_200, { reason: 'expired' }, { incarnation: 3 }), data: { reason: 7 } },
    ] as NodeEvent[];
    const state = fold(initialState(testConfig()), journal);
    expect(state.incarnation).toBe(1);
    expect(state.highestIncarnation).toBe(3);
    expect(nextIncarnation(state)).toBe(4);
    given(...journal)
      .whenEvent(e('ServicesStarted', 2_300, { incarnation: 2 }, { incarnation: 1 }))
      .thenAnomaly('incarnation-not-increasing');
  });

  it('ignores late events of an earlier incarnation (no callback outlives its owner)', () => {
    given(...scheduled, e('ServicesStarted', 2_100, { incarnation: 2 }, { incarnation: 2 }))
      .whenEvent(e('SessionLost', 2_200, { reason: 'suspicion-timeout' }, { incarnation: 1 }))
      .thenAnomaly('stale-incarnation');
  });
});

describe('when a new process opens a journal that outlived the last one', () => {
  const config = testConfig();
  const proc = (at: number, incarnation: number) =>
    e('ProcessStarted', at, { pid: 42, version: '0.1.0' }, { incarnation });

  it('owes the restart decision when the last process exited after a session loss, so the budget carries over', () => {
    const before = fold(initialState(config), [...startedAndConnected(0), ...tornDown(1_000, 1)]);
    const state = fold(before, [proc(2_000, 1)]);
    expect(state.lifecycle).toMatchObject({ status: 'stopped', trigger: 'session-lost' });
    expect(decideRestart({ now: 2_000, policy }, state).map((x) => x.type)).toEqual(['RestartScheduled']);
    expect(state.session.status).toBe('idle');
    expect(state.incarnation).toBe(1);
  });

  it('starts fresh after a clean stop, keeping the incarnation counter', () => {
    const before = fold(initialState(config), [...startedAndConnected(0), ...tornDown(1_000, 1, 'SIGTERM')]);
    const state = fold(before, [
      proc(2_000, 1),
      e('ServicesStarted', 2_001, { incarnation: 2 }, { incarnation: 2 }),
    ]);
    expect(state.lifecycle.status).toBe('running');
    expect(state.incarnation).toBe(2);
    expect(state.anomalyCount).toBe(before.anomalyCount);
  });

  it('records that the previous process died without its teardown (kill -9)', () => {
    const before = fold(initialState(config), startedAndConnected(0));
    const state = fold(before, [proc(2_000, 1)]);
    expect(state.lifecycle.status).toBe('new');
    expect(state.anomalies.at(-1)?.kind).toBe('process-died-without-teardown');
  });
});
