import { describe, expect, it } from 'vitest';
import { decideSessionSignal, decideSessionTimer } from '../../../src/domain/node/index.ts';
import { given, givenWith } from './given.ts';
import { e, startedAndConnected, testConfig, winElection } from './journal.ts';

const connected = startedAndConnected(0, '0x1', 6_000);
const suspendedAt1000 = [...connected, e('SessionSuspended', 1_000, { suspicionMs: 3_600, deadline: 4_600 })];

describe('session transitions', () => {
  it('goes idle → connecting → connected', () => {
    given(e('ServicesStarted', 0, { incarnation: 1 }))
      .whenEvent(e('SessionConnecting', 1, { connectString: 'zk1:2181' }))
      .thenState({ session: { status: 'connecting', connectString: 'zk1:2181', since: 1 } });
    given(...connected).thenState({
      session: {
        status: 'connected',
        sessionId: '0x1',
        negotiatedTimeoutMs: 6_000,
        server: 'zk1:2181',
        since: 10,
      },
    });
  });

  it('keeps the state when the same connect string is reported again', () => {
    given(...connected.slice(0, 2))
      .whenEvent(e('SessionConnecting', 5, { connectString: 'zk1:2181,zk2:2181,zk3:2181' }))
      .thenUnchanged();
  });

  it('is suspended with the deadline the disconnect carried', () => {
    given(...suspendedAt1000).thenState({
      session: { status: 'suspended', sessionId: '0x1', deadline: 4_600 },
    });
  });

  it('keeps the first deadline when the disconnect is reported again', () => {
    given(...suspendedAt1000)
      .whenEvent(e('SessionSuspended', 2_000, { suspicionMs: 3_600, deadline: 5_600 }))
      .thenUnchanged();
  });

  it('ignores connecting attempts to other servers while suspended', () => {
    given(...suspendedAt1000)
      .whenEvent(e('SessionConnecting', 1_100, { connectString: 'zk2:2181' }))
      .thenUnchanged();
  });

  it('returns to connected on a reconnect with the same session, with nothing else changing', () => {
    const before = given(...connected, ...winElection(20, 7)).state;
    const { after } = given(
      ...connected,
      ...winElection(20, 7),
      e('SessionSuspended', 1_000, { suspicionMs: 3_600, deadline: 4_600 }),
    ).whenEvent(
      e('SessionConnected', 1_100, { sessionId: '0x1', negotiatedTimeoutMs: 6_000, server: 'zk2:2181' }),
    );
    expect(after.session).toEqual({
      status: 'connected',
      sessionId: '0x1',
      negotiatedTimeoutMs: 6_000,
      server: 'zk2:2181',
      since: 1_100,
    });
    expect({ ...after, session: null }).toEqual({ ...before, session: null });
  });

  it('refuses a different session id without a loss in between', () => {
    given(...suspendedAt1000)
      .whenEvent(
        e('SessionConnected', 1_100, { sessionId: '0x2', negotiatedTimeoutMs: 6_000, server: 'zk2:2181' }),
      )
      .thenAnomaly('session-replaced');
  });

  it('keeps the state when connected is reported twice', () => {
    given(...connected)
      .whenEvent(
        e('SessionConnected', 20, { sessionId: '0x1', negotiatedTimeoutMs: 6_000, server: 'zk1:2181' }),
      )
      .thenUnchanged();
  });

  it('flags connecting reported while connected', () => {
    given(...connected)
      .whenEvent(e('SessionConnecting', 20, { connectString: 'zk1:2181' }))
      .thenAnomaly('connecting-while-connected');
  });

  it('is lost with its reason and drops the role and the session-scoped views', () => {
    given(...connected, ...winElection(20, 7))
      .whenEvent(e('SessionLost', 1_000, { reason: 'expired' }))
      .thenState({
        session: { status: 'lost', reason: 'expired', sessionId: '0x1', at: 1_000 },
        role: { status: 'outside' },
        leader: { node: null, epoch: null },
        members: {},
        highestEpoch: 7,
      });
  });

  it('keeps the first reason when the loss is reported again', () => {
    given(...suspendedAt1000, e('SessionLost', 4_600, { reason: 'suspicion-timeout' }))
      .whenEvent(e('SessionLost', 6_000, { reason: 'expired' }))
      .thenUnchanged();
  });

  it('refuses a reconnect after the loss', () => {
    given(...connected, e('SessionLost', 100, { reason: 'expired' }))
      .whenEvent(
        e('SessionConnected', 200, { sessionId: '0x1', negotiatedTimeoutMs: 6_000, server: 'zk1:2181' }),
      )
      .thenAnomaly('session-event-after-loss');
  });

  it('flags a close outside a teardown but records it', () => {
    const { after } = given(...connected).whenEvent(e('SessionClosed', 100, {}));
    expect(after.session).toEqual({ status: 'closed', at: 100 });
    expect(after.anomalies.map((a) => a.kind)).toEqual(['session-closed-outside-teardown']);
  });

  it('flags a second close and any session event after the close (seed 000)', () => {
    const closed = [
      ...connected,
      e('ShutdownRequested', 50, { trigger: 'SIGTERM' }),
      e('SessionClosed', 100, {}),
    ];
    given(...closed).thenState({ session: { status: 'closed' }, anomalyCount: 0 });
    given(...closed)
      .whenEvent(e('SessionClosed', 200, {}))
      .thenAnomaly('session-closed-twice');
    given(...closed)
      .whenEvent(e('SessionSuspended', 200, { suspicionMs: 200, deadline: 400 }))
      .thenAnomaly('session-event-after-close');
    given(...closed)
      .whenEvent(e('SessionLost', 200, { reason: 'suspicion-timeout' }))
      .thenAnomaly('session-event-after-close');
  });
});

describe('decideSessionSignal', () => {
  it('computes the suspicion deadline from the negotiated timeout and the fraction (0.6 by default)', () => {
    given(...connected)
      .when((state) => decideSessionSignal({ now: 1_000, signal: { kind: 'disconnected' } }, state))
      .then([e('SessionSuspended', 1_000, { suspicionMs: 3_600, deadline: 4_600 })]);
  });

  it('uses the configured fraction', () => {
    givenWith(
      testConfig('n1', { session: { suspicionFraction: 0.5 } }),
      ...startedAndConnected(0, '0x1', 400),
    )
      .when((state) => decideSessionSignal({ now: 1_000, signal: { kind: 'disconnected' } }, state))
      .then([e('SessionSuspended', 1_000, { suspicionMs: 200, deadline: 1_200 })]);
  });

  it('counts the deadline from the last reply the adapter heard, so the node fences itself in time', () => {
    given(...connected)
      .when((state) =>
        decideSessionSignal({ now: 1_000, signal: { kind: 'disconnected', lastHeardAt: 400 } }, state),
      )
      .then([e('SessionSuspended', 1_000, { suspicionMs: 3_600, deadline: 4_000, lastHeardAt: 400 })]);
  });

  it('counts from the disconnect when the last reply is unknown or not earlier', () => {
    given(...connected)
      .when((state) =>
        decideSessionSignal({ now: 1_000, signal: { kind: 'disconnected', lastHeardAt: 1_200 } }, state),
      )
      .then([e('SessionSuspended', 1_000, { suspicionMs: 3_600, deadline: 4_600 })]);
  });

  it('suspects nothing without an established session', () => {
    given(...connected.slice(0, 2))
      .when((state) => decideSessionSignal({ now: 5, signal: { kind: 'disconnected' } }, state))
      .then([]);
    given(...suspendedAt1000)
      .when((state) => decideSessionSignal({ now: 1_500, signal: { kind: 'disconnected' } }, state))
      .then([]);
  });

  it('journals every other signal as its event', () => {
    const state = given(...connected).state;
    const at = (signal: Parameters<typeof decideSessionSignal>[0]['signal']) =>
      decideSessionSignal({ now: 7, signal }, state);
    expect(at({ kind: 'connecting', connectString: 'zk2:2181' })).toEqual([
      e('SessionConnecting', 7, { connectString: 'zk2:2181' }),
    ]);
    expect(
      at({ kind: 'connected', sessionId: '0x1', negotiatedTimeoutMs: 4_000, server: 'zk2:2181' }),
    ).toEqual([
      e('SessionConnected', 7, { sessionId: '0x1', negotiatedTimeoutMs: 4_000, server: 'zk2:2181' }),
    ]);
    expect(at({ kind: 'lost', reason: 'auth-failed' })).toEqual([
      e('SessionLost', 7, { reason: 'auth-failed' }),
    ]);
    expect(at({ kind: 'closed' })).toEqual([e('SessionClosed', 7, {})]);
  });
});

describe('decideSessionTimer', () => {
  it('does nothing before the deadline', () => {
    given(...suspendedAt1000)
      .when((state) => decideSessionTimer({ now: 4_599 }, state))
      .then([]);
  });

  it('declares the session lost once the deadline has passed while still suspended', () => {
    given(...suspendedAt1000)
      .when((state) => decideSessionTimer({ now: 4_600 }, state))
      .then([e('SessionLost', 4_600, { reason: 'suspicion-timeout' })])
      .thenState({ session: { status: 'lost', reason: 'suspicion-timeout' } });
  });

  it('does nothing once reconnected, lost or closed', () => {
    const reconnected = e('SessionConnected', 2_000, {
      sessionId: '0x1',
      negotiatedTimeoutMs: 6_000,
      server: 'zk2',
    });
    given(...suspendedAt1000, reconnected)
      .when((state) => decideSessionTimer({ now: 9_000 }, state))
      .then([]);
    given(...suspendedAt1000, e('SessionLost', 2_000, { reason: 'expired' }))
      .when((state) => decideSessionTimer({ now: 9_000 }, state))
      .then([]);
    given(
      ...suspendedAt1000,
      e('ShutdownRequested', 2_000, { trigger: 'SIGTERM' }),
      e('SessionClosed', 2_100, {}),
    )
      .when((state) => decideSessionTimer({ now: 9_000 }, state))
      .then([]);
  });
});
