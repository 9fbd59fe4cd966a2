/**
 * The node store when its journal stops taking events (disk full, I/O error): nothing it could not
 * journal changes state, the node stops itself with a fatal shutdown that names the error, and only
 * the way down is still folded. The journal is an in-memory fake behind the EventSink port.
 */
import { describe, expect, it } from 'vitest';
import {
  defaultNodeConfig,
  initialState,
  type NodeEvent,
  type NodeState,
  nodeEvent,
} from '../../src/domain/node/index.ts';
import { createNodeStore } from '../../src/streams/node-store.ts';

const meta = (at: number) => ({ node: 'n1', incarnation: 1, at });
const DISK_FULL =
  'cannot append to journal /data/journal-n1.jsonl: Error: ENOSPC: no space left on device, write';

/** A journal that takes events until `fail()`, then throws what a full disk makes the real one throw. */
function failingJournal() {
  const written: NodeEvent[] = [];
  let failing = false;
  return {
    written,
    fail: () => {
      failing = true;
    },
    sink: {
      appendSync: (event: NodeEvent) => {
        if (failing) throw new Error(DISK_FULL);
        written.push(event);
      },
    },
  };
}

/** A store whose node runs a connected incarnation, over a journal that can be made to fail. */
function runningNode() {
  const journal = failingJournal();
  const store = createNodeStore(journal.sink, initialState(defaultNodeConfig('n1')));
  store.record([
    nodeEvent('ServicesStarted', { incarnation: 1 }, meta(0)),
    nodeEvent('SessionConnecting', { connectString: 'zk:2181' }, meta(0)),
    nodeEvent(
      'SessionConnected',
      { sessionId: '01', negotiatedTimeoutMs: 1_000, server: 'zk:2181' },
      meta(0),
    ),
  ]);
  return { store, journal };
}

const lifecycleOf = (state: NodeState) => state.lifecycle;

describe('when the journal cannot take an event while the services run', () => {
  it('does not fold the event and starts a fatal teardown that names the journal error', () => {
    const { store, journal } = runningNode();
    const before = store.current();
    journal.fail();
    store.record([nodeEvent('LeadershipAcquired', { epoch: 7 }, meta(10))]);
    expect(store.current().role).toEqual(before.role);
    expect(lifecycleOf(store.current())).toMatchObject({
      status: 'tearing-down',
      trigger: 'fatal',
      detail: DISK_FULL,
    });
  });

  it('throws nothing to the stream that recorded', () => {
    const { store, journal } = runningNode();
    journal.fail();
    expect(() => store.record([nodeEvent('EventLoopStalled', { delayMs: 300 }, meta(10))])).not.toThrow();
    expect(() => store.dispatch({ type: 'CheckSessionTimer', now: 20 })).not.toThrow();
  });

  it('folds the teardown steps but drops every other event, and answers a decision only with what it applied', () => {
    const { store, journal } = runningNode();
    journal.fail();
    store.record([nodeEvent('EventLoopStalled', { delayMs: 300 }, meta(10))]);
    const [started] = store.dispatch({ type: 'AdvanceTeardown', now: 11 });
    expect(started?.type).toBe('TeardownStepStarted');
    store.record([
      nodeEvent('TeardownStepCompleted', { step: 'runner' }, meta(12)),
      nodeEvent('LeadershipAcquired', { epoch: 9 }, meta(13)),
      nodeEvent('SessionLost', { reason: 'expired' }, meta(14)),
    ]);
    const state = store.current();
    expect(state.role.status).not.toBe('leader');
    expect(state.session.status).toBe('connected');
    expect(state.lifecycle.status === 'tearing-down' && state.lifecycle.steps).toEqual([
      expect.objectContaining({ step: 'runner', status: 'completed' }),
    ]);
    expect(journal.written.map((e) => e.type)).toEqual([
      'ServicesStarted',
      'SessionConnecting',
      'SessionConnected',
    ]);
  });

  it('never folds the teardown’s finish, so the incarnation ends as fatal rather than restarting', () => {
    const { store, journal } = runningNode();
    store.dispatch({ type: 'RequestShutdown', now: 5, trigger: 'session-lost' });
    journal.fail();
    store.record([nodeEvent('EventLoopStalled', { delayMs: 300 }, meta(10))]);
    for (let now = 11; now < 30; now++) {
      const [event] = store.dispatch({ type: 'AdvanceTeardown', now });
      if (event?.type === 'TeardownStepStarted')
        store.record([nodeEvent('TeardownStepCompleted', { step: event.data.step }, meta(now))]);
    }
    expect(store.current().lifecycle).toMatchObject({ status: 'tearing-down', trigger: 'session-lost' });
    expect(store.dispatch({ type: 'AdvanceTeardown', now: 40 })).toEqual([]);
  });
});

describe('when the journal cannot take an event while a restart waits', () => {
  it('stops the node as fatal at once, keeping the journal error', () => {
    const { store, journal } = runningNode();
    store.dispatch({ type: 'RequestShutdown', now: 5, trigger: 'session-lost' });
    for (let now = 6; store.current().lifecycle.status === 'tearing-down' && now < 40; now++) {
      const [event] = store.dispatch({ type: 'AdvanceTeardown', now });
      if (event?.type === 'TeardownStepStarted')
        store.record([nodeEvent('TeardownStepCompleted', { step: event.data.step }, meta(now))]);
    }
    const policy = {
      initialBackoffMs: 1_000,
      multiplier: 2,
      maxBackoffMs: 5_000,
      budget: 3,
      windowMs: 60_000,
    };
    store.dispatch({ type: 'PlanRestart', now: 50, policy });
    expect(store.current().lifecycle.status).toBe('restart-scheduled');
    journal.fail();
    store.record([nodeEvent('EventLoopStalled', { delayMs: 300 }, meta(60))]);
    expect(store.current().lifecycle).toMatchObject({
      status: 'stopped',
      trigger: 'fatal',
      detail: DISK_FULL,
    });
  });
});

describe('when the journal cannot take an event with nothing running to tear down', () => {
  it('throws the error to the caller (the process start reports it)', () => {
    const journal = failingJournal();
    const store = createNodeStore(journal.sink, initialState(defaultNodeConfig('n1')));
    journal.fail();
    expect(() => store.record([nodeEvent('ProcessStarted', { pid: 1, version: '0.1.0' }, meta(0))])).toThrow(
      DISK_FULL,
    );
    expect(store.current().lifecycle.status).toBe('new');
  });
});
