/**
 * Seed 000: a ZooKeeper server stalls, the client disconnects, a 200 ms local session timer starts,
 * the reconnect finds the session expired, the node tears down — and then the destructors run the
 * same teardown a second time ("zookeeper closed" twice, "Stop the session timeout timer" after the
 * object was destroyed) until pthread_mutex_destroy aborts. Here, as pure events.
 */
import { describe, expect, it } from 'vitest';
import {
  clusterStatus,
  DEFAULT_RESTART_POLICY,
  decideRestart,
  decideSessionSignal,
  decideSessionTimer,
  fold,
  initialState,
  nextTeardownStep,
  recordEvent,
  TEARDOWN_STEPS,
} from '../../../src/domain/node/index.ts';
import { NodeDriver } from './driver.ts';
import { hms, testConfig } from './journal.ts';

const SESSION = '0x100026e28c9019c';
// 200 ms of suspicion, as the seed's timer: fraction × negotiated timeout.
const config = testConfig('10.136.168.65', { session: { suspicionFraction: 0.5 } });

/** The node up to the session expiry: leader, healthy, holding the VIP, then stalled and disconnected. */
function upToExpiry(): NodeDriver {
  const node = new NodeDriver(config);
  const boot = hms('01:00:00.000');
  node.observe(boot, 'ServicesStarted', { incarnation: 1 });
  node.decide((s) =>
    decideSessionSignal(
      { now: boot + 1, signal: { kind: 'connecting', connectString: '10.136.168.64:2181' } },
      s,
    ),
  );
  const connected = {
    kind: 'connected',
    sessionId: SESSION,
    negotiatedTimeoutMs: 400,
    server: '10.136.168.64:2181',
  } as const;
  node.decide((s) => decideSessionSignal({ now: boot + 20, signal: connected }, s));
  node.observe(boot + 30, 'ElectionJoinRequested', { from: 'outside' });
  node.observe(boot + 31, 'ElectionJoined', { sequence: 12 });
  node.observe(boot + 32, 'LeadershipAcquired', { epoch: 12 });
  node.observe(boot + 40, 'HealthChecked', { probe: 'secondary-network', ok: true, detail: '' });
  node.observe(boot + 1_040, 'HealthChecked', { probe: 'secondary-network', ok: true, detail: '' });
  node.reconcileVip(boot + 1_050);

  // "Exceeded deadline by 2689ms", then CONNECTED_STATE --> CONNECTING_STATE
  node.observe(hms('01:45:06.097442'), 'EventLoopStalled', { delayMs: 2_689 });
  node.decide((s) =>
    decideSessionSignal({ now: hms('01:45:06.097581'), signal: { kind: 'disconnected' } }, s),
  );
  node.reconcileVip(hms('01:45:06.097581'));
  // CONNECTING_STATE --> EXPIRED_SESSION_STATE on the reconnect
  node.decide((s) =>
    decideSessionSignal({ now: hms('01:45:07.652709'), signal: { kind: 'lost', reason: 'expired' } }, s),
  );
  return node;
}

describe('seed 000: session expiry, then a second teardown from the destructors', () => {
  it('suspects the session for 200 ms from the disconnect, and records the expiry on reconnect', () => {
    const node = upToExpiry();
    expect(node.entries('SessionSuspended').map((event) => event.data)).toEqual([
      { suspicionMs: 200, deadline: hms('01:45:06.297581') },
    ]);
    expect(node.state.session).toMatchObject({ status: 'lost', reason: 'expired', sessionId: SESSION });
    expect(node.state.role).toEqual({ status: 'outside' });
    expect(node.state.vip.status).toBe('released'); // released on suspicion, not left behind
    expect(node.state.lastStall).toEqual({ delayMs: 2_689, at: hms('01:45:06.097442') });
  });

  it('tears down exactly once, in order, and ignores the destructor path', () => {
    const node = upToExpiry();
    // "Session lost, must exit to prevent the tasks from running in this task server."
    const lossAt = hms('01:45:07.652807');
    node.trigger(
      lossAt,
      'session-lost',
      'Session lost, must exit to prevent the tasks from running in this task server',
    );
    const doneAt = node.runTeardown(lossAt, 10);

    // ~QuorumServer, "Destructing zookeeper.": the second path pushes its own trigger.
    const destructorAt = hms('01:45:07.801932');
    expect(node.trigger(destructorAt, 'process-exit', '~QuorumServer')).toEqual([
      recordEvent(node.state, destructorAt, 'ShutdownIgnored', {
        trigger: 'process-exit',
        detail: '~QuorumServer',
      }),
    ]);
    expect(nextTeardownStep(node.state)).toEqual({ kind: 'none' });
    expect(node.runTeardown(destructorAt)).toBe(destructorAt); // nothing runs again
    // "Stop the session timeout timer." after the object was destroyed: no timer decision fires.
    expect(decideSessionTimer({ now: hms('01:45:07.874543') }, node.state)).toEqual([]);
    expect(decideSessionTimer({ now: hms('01:45:08.027252') }, node.state)).toEqual([]);

    expect(node.entries('TeardownStepStarted').map((event) => event.data.step)).toEqual([...TEARDOWN_STEPS]);
    expect(node.entries('TeardownStepCompleted').map((event) => event.data.step)).toEqual([
      ...TEARDOWN_STEPS,
    ]);
    expect(node.entries('SessionClosed')).toHaveLength(1);
    expect(node.entries('ShutdownRequested').map((event) => event.data.trigger)).toEqual(['session-lost']);
    expect(node.entries('ShutdownIgnored').map((event) => event.data.trigger)).toEqual(['process-exit']);
    const closeAt = node.journal.findIndex(
      (event) => event.type === 'TeardownStepStarted' && event.data.step === 'zk-close',
    );
    expect(node.journal.slice(closeAt + 1).map((event) => event.type)).toEqual([
      'TeardownStepCompleted',
      'SessionClosed',
      'TeardownFinished',
      'ShutdownIgnored',
    ]);
    expect(node.state.lifecycle).toMatchObject({ status: 'stopped', trigger: 'session-lost', at: doneAt });
    expect(node.state.anomalyCount).toBe(0);
  });

  it('restarts in-process with a budget instead of dumping core', () => {
    const node = upToExpiry();
    node.trigger(hms('01:45:07.652807'), 'session-lost');
    const doneAt = node.runTeardown(hms('01:45:07.652807'));
    node.decide((s) => decideRestart({ now: doneAt, policy: DEFAULT_RESTART_POLICY }, s));
    expect(node.state.lifecycle).toEqual({
      status: 'restart-scheduled',
      attempt: 1,
      startAt: doneAt + 1_000,
    });
    expect(clusterStatus(node.state)).toMatchObject({
      lifecycle: 'restart-scheduled',
      vipHolder: null,
      leader: null,
    });
  });

  it('replays the seed as it happened and names each of its faults', () => {
    const node = upToExpiry();
    const at = (time: string) => hms(time);
    const s = () => node.state;
    // The original code: teardown, then the destructor closes and stops the timer again.
    node.record([recordEvent(s(), at('01:45:07.652807'), 'ShutdownRequested', { trigger: 'session-lost' })]);
    for (const [i, step] of TEARDOWN_STEPS.entries()) {
      node.record([recordEvent(s(), at('01:45:07.652878') + i, 'TeardownStepStarted', { step })]);
      node.record([recordEvent(s(), at('01:45:07.652878') + i, 'TeardownStepCompleted', { step })]);
    }
    node.record([recordEvent(s(), at('01:45:07.692596'), 'SessionClosed', {})]);
    node.record([recordEvent(s(), at('01:45:07.692600'), 'TeardownFinished', {})]);
    node.record([recordEvent(s(), at('01:45:07.801932'), 'ShutdownRequested', { trigger: 'process-exit' })]);
    node.record([recordEvent(s(), at('01:45:07.819953'), 'TeardownStepStarted', { step: 'zk-close' })]);
    node.record([recordEvent(s(), at('01:45:07.851056'), 'SessionClosed', {})]);
    node.record([recordEvent(s(), at('01:45:07.874543'), 'SessionLost', { reason: 'suspicion-timeout' })]);

    expect(node.state.anomalies.map((anomaly) => [anomaly.kind, anomaly.at])).toEqual([
      ['shutdown-twice', at('01:45:07.801932')],
      ['teardown-step-after-close', at('01:45:07.819953')],
      ['session-closed-twice', at('01:45:07.851056')],
      ['session-event-after-close', at('01:45:07.874543')],
    ]);
    // And replaying the journal from scratch gives the very same state.
    expect(fold(initialState(config), node.journal)).toEqual(node.state);
  });
});
