import { asyncScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { SessionState as ZkSessionState } from '../../src/infra/zookeeper/index.ts';
import { session$, sessionSignalOf } from '../../src/streams/session.ts';
import { runningStore } from './node-fixture.ts';

const zk = (state: ZkSessionState['state']): ZkSessionState => ({
  state,
  sessionId: '01',
  negotiatedTimeoutMs: 1_000,
  server: 'zk:2181',
  at: 0,
});

const testScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('the session as node events', () => {
  it('maps every adapter state to a signal, expiry and auth failure to a loss', () => {
    expect(sessionSignalOf(zk('disconnected'), 'c')).toEqual({ kind: 'disconnected' });
    expect(sessionSignalOf(zk('expired'), 'c')).toEqual({ kind: 'lost', reason: 'expired' });
    expect(sessionSignalOf(zk('auth-failed'), 'c')).toEqual({ kind: 'lost', reason: 'auth-failed' });
    expect(sessionSignalOf(zk('connected-read-only'), 'c')).toMatchObject({
      kind: 'connected',
      sessionId: '01',
    });
    expect(sessionSignalOf(zk('closed'), 'c')).toEqual({ kind: 'closed' });
  });
});

describe('when the connection drops', () => {
  it('fires the suspicion timer at 0.6 of the negotiated timeout: the session is lost', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      const { store, journal } = runningStore(1_000);
      const states = cold('10ms a', { a: zk('disconnected') });
      expectObservable(session$(states, 'zk:2181', store, asyncScheduler), '^ 700ms !').toBe('');
      expectSubscriptions(states.subscriptions).toBe('^ 700ms !');
      flush();
      expect(journal.map((e) => [e.type, e.meta.at])).toEqual([
        ['SessionSuspended', 10],
        ['SessionLost', 610],
      ]);
      expect(store.current().session).toMatchObject({ status: 'lost', reason: 'suspicion-timeout' });
    });
  });

  it('cancels the timer when the session comes back before the deadline: nothing else changes', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const { store, journal } = runningStore(1_000);
      const states = cold('10ms a 99ms b', { a: zk('disconnected'), b: zk('connected') });
      expectObservable(session$(states, 'zk:2181', store, asyncScheduler), '^ 2000ms !').toBe('');
      flush();
      expect(journal.map((e) => [e.type, e.meta.at])).toEqual([
        ['SessionSuspended', 10],
        ['SessionConnected', 110],
      ]);
      expect(store.current().session.status).toBe('connected');
      expect(store.current().lifecycle.status).toBe('running');
    });
  });

  it('takes a server-side expiry as a loss at once', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const { store, journal } = runningStore(1_000);
      const states = cold('10ms a 100ms b', { a: zk('disconnected'), b: zk('expired') });
      expectObservable(session$(states, 'zk:2181', store, asyncScheduler), '^ 2000ms !').toBe('');
      flush();
      expect(journal.map((e) => e.type)).toEqual(['SessionSuspended', 'SessionLost']);
      expect(store.current().session).toMatchObject({ status: 'lost', reason: 'expired' });
    });
  });

  it('does not push the deadline back on a second disconnect report', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const { store, journal } = runningStore(1_000);
      const states = cold('10ms a 99ms a', { a: zk('disconnected') });
      expectObservable(session$(states, 'zk:2181', store, asyncScheduler), '^ 2000ms !').toBe('');
      flush();
      expect(journal.map((e) => [e.type, e.meta.at])).toEqual([
        ['SessionSuspended', 10],
        ['SessionLost', 610],
      ]);
    });
  });
});
