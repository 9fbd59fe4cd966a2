import type { Observable } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ZooKeeperSession } from '../../../src/infra/zookeeper/types.ts';
import { useZooKeeper, waitFor } from '../../support/zookeeper.ts';
import { freshPath, reach, recordStates, useSessions } from './session-support.ts';

const zk = useZooKeeper({ servers: 1, tickTimeMs: 100 });
const sessions = useSessions(() => zk().connectString);

beforeAll(async () => {
  const setup = await sessions.connected();
  await setup.mkdirp('/test');
  await setup.close();
});

/** Subscribes and collects emissions until the test ends (sessions are closed after each test). */
function collect<T>(source$: Observable<T>): { values: T[]; done: () => boolean; error: () => unknown } {
  const values: T[] = [];
  let completed = false;
  let failure: unknown;
  source$.subscribe({
    next: (value) => values.push(value),
    complete: () => {
      completed = true;
    },
    error: (error) => {
      failure = error;
    },
  });
  return { values, done: () => completed, error: () => failure };
}

const dataOf = (value: { data: Buffer } | null) => (value ? value.data.toString() : null);

async function writer(): Promise<ZooKeeperSession> {
  return sessions.connected();
}

describe('watchData$', () => {
  it('emits the current value, then every change, re-arming after each fire', async () => {
    const session = await sessions.connected();
    const other = await writer();
    const path = freshPath('data');
    await other.create(path, { data: 'v0' });
    const seen = collect(session.watchData$(path));
    await waitFor(() => seen.values.length === 1, { what: 'the current value' });
    for (const value of ['v1', 'v2', 'v3']) {
      await other.setData(path, value);
      await waitFor(() => dataOf(seen.values.at(-1)!) === value, { what: `the watch to see ${value}` });
    }
    expect(seen.values.map(dataOf)).toEqual(['v0', 'v1', 'v2', 'v3']);
    expect(seen.values.map((v) => v?.stat.version)).toEqual([0, 1, 2, 3]);
  });

  it('emits null while the znode is absent, then its value when it is created, and null when deleted', async () => {
    const session = await sessions.connected();
    const other = await writer();
    const path = freshPath('appears');
    const seen = collect(session.watchData$(path));
    await waitFor(() => seen.values.length === 1, { what: 'the first emission' });
    expect(seen.values[0]).toBeNull();
    await other.create(path, { data: 'born' });
    await waitFor(() => seen.values.length === 2, { what: 'the creation' });
    await other.remove(path);
    await waitFor(() => seen.values.length === 3, { what: 'the deletion' });
    await other.create(path, { data: 'again' });
    await waitFor(() => seen.values.length === 4, { what: 'the re-creation' });
    expect(seen.values.map(dataOf)).toEqual([null, 'born', null, 'again']);
  });

  it('always ends on the latest value when changes come faster than the watch re-arms', async () => {
    const session = await sessions.connected();
    const other = await writer();
    const path = freshPath('burst');
    await other.create(path, { data: '0' });
    const seen = collect(session.watchData$(path));
    await waitFor(() => seen.values.length === 1, { what: 'the current value' });
    for (let i = 1; i <= 30; i++) await other.setData(path, String(i));
    await waitFor(() => dataOf(seen.values.at(-1)!) === '30', { what: 'the last value' });
    const versions = seen.values.map((v) => v!.stat.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('stops reading once unsubscribed', async () => {
    const session = await sessions.connected();
    const other = await writer();
    const path = freshPath('unsubscribe');
    await other.create(path, { data: 'a' });
    const values: unknown[] = [];
    const subscription = session.watchData$(path).subscribe((v) => values.push(v));
    await waitFor(() => values.length === 1, { what: 'the current value' });
    subscription.unsubscribe();
    await other.setData(path, 'b');
    // A later subscription proves the change was delivered to this session's watches by now.
    const again = collect(session.watchData$(path));
    await waitFor(() => dataOf(again.values.at(-1) ?? null) === 'b', { what: 'the new subscription' });
    expect(values).toHaveLength(1);
  });

  it('completes when the session is closed', async () => {
    const session = await sessions.connected();
    const seen = collect(session.watchData$(freshPath('closing')));
    await waitFor(() => seen.values.length === 1, { what: 'the first emission' });
    await session.close();
    expect(seen.done()).toBe(true);
    expect(seen.error()).toBeUndefined();
  });
});

describe('watchChildren$ and watchExists$', () => {
  it('emits the sorted children after each change, null while the parent is absent', async () => {
    const session = await sessions.connected();
    const other = await writer();
    const parent = freshPath('kids');
    const seen = collect(session.watchChildren$(parent));
    await waitFor(() => seen.values.length === 1, { what: 'the first emission' });
    await other.create(parent);
    await waitFor(() => seen.values.length === 2, { what: 'the parent to appear' });
    await other.create(`${parent}/b`);
    await waitFor(() => seen.values.length === 3, { what: 'child b' });
    await other.create(`${parent}/a`);
    await waitFor(() => seen.values.length === 4, { what: 'child a' });
    await other.remove(`${parent}/b`);
    await waitFor(() => seen.values.length === 5, { what: 'b to go' });
    expect(seen.values.map((v) => v?.children ?? null)).toEqual([null, [], ['b'], ['a', 'b'], ['a']]);
  });

  it('emits the stat when the znode appears and null when it disappears', async () => {
    const session = await sessions.connected();
    const other = await writer();
    const path = freshPath('exists');
    const seen = collect(session.watchExists$(path));
    await waitFor(() => seen.values.length === 1, { what: 'the first emission' });
    await other.create(path, { ephemeral: true });
    await waitFor(() => seen.values.length === 2, { what: 'the znode to appear' });
    await other.close();
    await waitFor(() => seen.values.length === 3, { what: 'the ephemeral znode to vanish with its session' });
    expect(seen.values[0]).toBeNull();
    expect(seen.values[1]?.ephemeralOwner).toMatch(/^[0-9a-f]{16}$/);
    expect(seen.values[2]).toBeNull();
  });
});

describe('across a server restart', () => {
  it('keeps every watch armed: changes after the reconnect are seen, several times', async () => {
    const session = await sessions.connected();
    const path = freshPath('restart');
    const parent = freshPath('restart-kids');
    await session.create(path, { data: 'before' });
    await session.create(parent);
    const data = collect(session.watchData$(path));
    const children = collect(session.watchChildren$(parent));
    await waitFor(() => data.values.length === 1 && children.values.length === 1, {
      what: 'first emissions',
    });
    const states = recordStates(session);

    await zk().servers[0]!.restart();
    await waitFor(() => states.some((s) => s.state === 'disconnected'), { what: 'the disconnect' });
    await reach(session, 'connected');
    expect(session.current().sessionId).toBe(states[0]!.sessionId);

    const other = await writer();
    for (const value of ['after-1', 'after-2']) {
      await other.setData(path, value);
      await waitFor(() => dataOf(data.values.at(-1)!) === value, { what: `the watch to see ${value}` });
    }
    await other.create(`${parent}/x`);
    await waitFor(() => children.values.at(-1)?.children.includes('x'), { what: 'child x' });
    await other.create(`${parent}/y`);
    await waitFor(() => children.values.at(-1)?.children.includes('y'), { what: 'child y' });
    expect(data.values.map(dataOf)).toEqual(['before', 'after-1', 'after-2']);
  });
});

describe('watchFires$', () => {
  it('tells of each change before watchData$ has read it', async () => {
    const session = await sessions.connected();
    const other = await writer();
    const path = freshPath('fires');
    await other.create(path, { data: 'v0' });
    const order: string[] = [];
    session.watchData$(path).subscribe((value) => order.push(`read ${dataOf(value)}`));
    session.watchFires$(path).subscribe(() => order.push('fired'));
    await waitFor(() => order.length === 1, { what: 'the current value' });
    for (const value of ['v1', 'v2']) {
      await other.setData(path, value);
      await waitFor(() => order.at(-1) === `read ${value}`, { what: `the watch to see ${value}` });
    }
    expect(order).toEqual(['read v0', 'fired', 'read v1', 'fired', 'read v2']);
  });

  it('completes when the session closes', async () => {
    const session = await sessions.connected();
    const path = freshPath('fires-end');
    session.watchData$(path).subscribe({ error: () => undefined });
    const fires = collect(session.watchFires$(path));
    await session.close();
    await waitFor(() => fires.done(), { what: 'the fires to complete' });
  });
});
