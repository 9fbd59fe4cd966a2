import { describe, expect, it } from 'vitest';
import { CM_STATE } from '../../../src/infra/zookeeper/connection-manager.ts';
import { isTerminal, sessionStateNameOf, shouldPublish } from '../../../src/infra/zookeeper/state-mapping.ts';
import type { SessionStateName } from '../../../src/infra/zookeeper/types.ts';

describe('sessionStateNameOf', () => {
  it.each([
    [CM_STATE.DISCONNECTED, 'disconnected'],
    [CM_STATE.CONNECTING, 'connecting'],
    [CM_STATE.CONNECTED, 'connected'],
    [CM_STATE.CONNECTED_READ_ONLY, 'connected-read-only'],
    [CM_STATE.CLOSED, 'closed'],
    [CM_STATE.SESSION_EXPIRED, 'expired'],
    [CM_STATE.AUTHENTICATION_FAILED, 'auth-failed'],
  ])('maps library state %i to %s', (library, name) => {
    expect(sessionStateNameOf(library)).toBe(name);
  });

  it('hides the transient CLOSING state and unknown ones', () => {
    expect(sessionStateNameOf(CM_STATE.CLOSING)).toBeNull();
    expect(sessionStateNameOf(42)).toBeNull();
  });
});

describe('shouldPublish', () => {
  /** Publishes a sequence of library-level states, keeping what would be published. */
  const published = (sequence: SessionStateName[]) => {
    let last: SessionStateName = 'connecting';
    const out: SessionStateName[] = [];
    for (const next of sequence) {
      if (!shouldPublish(next, last)) continue;
      out.push(next);
      last = next;
    }
    return out;
  };

  it('publishes an outage as one disconnected and one connecting, however many attempts fail', () => {
    const attempts: SessionStateName[] = ['disconnected', 'connecting', 'disconnected', 'connecting'];
    expect(published(['connected', ...attempts, 'connected'])).toEqual([
      'connected',
      'disconnected',
      'connecting',
      'connected',
    ]);
  });

  it('stays connecting while the first connection is being attempted', () => {
    expect(published(['disconnected', 'connecting', 'disconnected', 'connected'])).toEqual(['connected']);
  });

  it('handles a read-only connection like a connection', () => {
    expect(published(['connected-read-only', 'disconnected', 'connecting', 'connected'])).toEqual([
      'connected-read-only',
      'disconnected',
      'connecting',
      'connected',
    ]);
  });

  it('publishes nothing after a terminal state', () => {
    expect(published(['connected', 'expired', 'disconnected', 'closed', 'connected'])).toEqual([
      'connected',
      'expired',
    ]);
    expect(isTerminal('auth-failed')).toBe(true);
    expect(isTerminal('disconnected')).toBe(false);
  });
});
