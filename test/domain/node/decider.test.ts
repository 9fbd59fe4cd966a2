import { describe, expect, it } from 'vitest';
import { DEFAULT_RESTART_POLICY, nodeDecider } from '../../../src/domain/node/index.ts';
import { e, member, startedAndConnected, testConfig, view } from './journal.ts';

describe('nodeDecider', () => {
  const decider = nodeDecider(testConfig());
  const running = startedAndConnected().reduce(decider.evolve, decider.initialState());

  it('starts from the initial state of its config', () => {
    expect(decider.initialState()).toMatchObject({
      config: testConfig(),
      incarnation: 0,
      lifecycle: { status: 'new' },
    });
  });

  it('routes every command to its decision', () => {
    expect(decider.decide({ type: 'RequestShutdown', now: 5, trigger: 'api' }, running)).toEqual([
      e('ShutdownRequested', 5, { trigger: 'api' }),
    ]);
    expect(decider.decide({ type: 'AdvanceTeardown', now: 5 }, running)).toEqual([]);
    expect(decider.decide({ type: 'CheckSessionTimer', now: 5 }, running)).toEqual([]);
    expect(decider.decide({ type: 'PlanRestart', now: 5, policy: DEFAULT_RESTART_POLICY }, running)).toEqual(
      [],
    );
    expect(
      decider.decide({ type: 'ReviewLeadership', now: 5, members: view(member('n1', 'healthy')) }, running),
    ).toEqual([e('ElectionJoinRequested', 5, { from: 'outside' })]);
    expect(
      decider.decide({ type: 'RecordSessionSignal', now: 5, signal: { kind: 'disconnected' } }, running),
    ).toEqual([e('SessionSuspended', 5, { suspicionMs: 3_600, deadline: 3_605 })]);
  });
});
