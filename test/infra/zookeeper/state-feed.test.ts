import { describe, expect, it } from 'vitest';
import { StateFeed } from '../../../src/infra/zookeeper/state-feed.ts';
import type { SessionState, SessionStateName } from '../../../src/infra/zookeeper/types.ts';

const state = (name: SessionStateName): SessionState => ({
  state: name,
  sessionId: '0000000000000001',
  negotiatedTimeoutMs: 2_000,
  at: 0,
});

describe('StateFeed', () => {
  it('gives a new subscriber the current state, then later ones in order', async () => {
    const feed = new StateFeed(state('connecting'));
    const seen: string[] = [];
    feed.state$.subscribe((s) => seen.push(s.state));
    feed.publish(state('connected'));
    feed.publish(state('disconnected'));
    await feed.flushed();
    expect(seen).toEqual(['connecting', 'connected', 'disconnected']);
    expect(feed.current().state).toBe('disconnected');
  });

  it('delivers outside the publishing call (never inside the library handler that published)', async () => {
    const feed = new StateFeed(state('connecting'));
    const seen: string[] = [];
    feed.state$.subscribe((s) => seen.push(s.state));
    feed.publish(state('connected'));
    expect(seen).toEqual(['connecting']);
    await feed.flushed();
    expect(seen).toEqual(['connecting', 'connected']);
  });

  it('completes after a terminal state and delivers nothing more', async () => {
    const feed = new StateFeed(state('connected'));
    const seen: string[] = [];
    let completed = false;
    feed.state$.subscribe({ next: (s) => seen.push(s.state), complete: () => (completed = true) });
    feed.publish(state('expired'));
    feed.publish(state('connected'));
    await feed.flushed();
    expect(seen).toEqual(['connected', 'expired']);
    expect(completed).toBe(true);
    const late: string[] = [];
    feed.state$.subscribe({ next: (s) => late.push(s.state), complete: () => late.push('complete') });
    expect(late).toEqual(['expired', 'complete']);
  });

  it('runs its own handlers before subscribers see a state', async () => {
    const feed = new StateFeed(state('connecting'));
    const order: string[] = [];
    feed.onDelivery((s) => order.push(`handler:${s.state}`));
    feed.state$.subscribe((s) => order.push(`subscriber:${s.state}`));
    feed.publish(state('connected'));
    await feed.flushed();
    expect(order).toEqual(['subscriber:connecting', 'handler:connected', 'subscriber:connected']);
  });

  it('stops notifying a subscriber that unsubscribed', async () => {
    const feed = new StateFeed(state('connecting'));
    const seen: string[] = [];
    feed.state$.subscribe((s) => seen.push(s.state)).unsubscribe();
    feed.publish(state('connected'));
    await feed.flushed();
    expect(seen).toEqual(['connecting']);
  });
});
