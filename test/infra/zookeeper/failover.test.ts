/**
 * (c) node-zookeeper-client 1.1.3 never checks that pings are answered: connected to a server that
 * stops answering (SIGSTOP, a half-open connection) it stays 'connected' until the session is long
 * expired. The adapter's liveness check drops such a connection after half the session timeout, so
 * the client moves to another member of the ensemble while its session still lives.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ZooKeeperSession } from '../../../src/infra/zookeeper/types.ts';
import { serverOfSession, useZooKeeper, waitFor, type ZooKeeperServer } from '../../support/zookeeper.ts';
import { freshPath, recordStates, useSessions, waitForState } from './session-support.ts';

const zk = useZooKeeper({ servers: 3, tickTimeMs: 100 });
const sessions = useSessions(() => zk().connectString);

beforeAll(async () => {
  const setup = await sessions.connected();
  await setup.mkdirp('/test');
  await setup.close();
});

afterEach(async () => {
  for (const server of zk().servers) if (server.isPaused) await server.resume();
});

const serverAt = (address: string | undefined) => zk().servers.find((s) => s.connectString === address);

/**
 * A connected session whose server is a follower. Pausing the leader is another scenario (the
 * followers first wait syncLimit for it, then elect), so the test picks its victim's role.
 */
async function sessionOnAFollower(): Promise<{ session: ZooKeeperSession; server: ZooKeeperServer }> {
  const leader = await zk().leader();
  return waitFor(
    async () => {
      const session = await sessions.connected();
      const server = serverAt(session.current().server);
      if (server && server !== leader) return { session, server };
      await session.close();
      return undefined;
    },
    { what: 'a session connected to a follower' },
  );
}

describe('when the server a session is connected to stops answering', () => {
  it('moves to another server inside the session timeout and keeps the session', async () => {
    const { session, server } = await sessionOnAFollower();
    const sessionId = session.current().sessionId;
    expect((await serverOfSession(zk(), Buffer.from(sessionId, 'hex')))?.id).toBe(server.id);
    const owned = freshPath('owned');
    await session.create(owned, { ephemeral: true });
    const states = recordStates(session);

    const pausedAt = Date.now();
    await server.pause();
    const disconnected = await waitForState(states, 'disconnected');
    await waitFor(() => states.filter((s) => s.state === 'connected').length === 2, {
      what: 'the reconnection',
    });
    const reconnected = states.at(-1)!;

    expect(disconnected.reason).toBe('read-timeout');
    expect(reconnected).toMatchObject({ state: 'connected', sessionId });
    expect(reconnected.server).not.toBe(server.connectString);
    expect(reconnected.at - pausedAt).toBeLessThan(reconnected.negotiatedTimeoutMs);
    expect(states.map((s) => s.state)).toEqual(['connected', 'disconnected', 'connecting', 'connected']);
    // The session survived: its ephemeral znode is still there, still its own.
    expect((await session.exists(owned))?.ephemeralOwner).toBe(sessionId);
    expect(server.isPaused).toBe(true);
  });

  it('keeps serving requests and watches after the move', async () => {
    const { session, server } = await sessionOnAFollower();
    const path = freshPath('watched');
    await session.create(path, { data: 'before' });
    const seen: string[] = [];
    session.watchData$(path).subscribe((value) => seen.push(value?.data.toString() ?? 'absent'));
    await waitFor(() => seen.length === 1, { what: 'the first value' });
    const states = recordStates(session);

    await server.pause();
    await waitFor(() => states.filter((s) => s.state === 'connected').length === 2, {
      what: 'the reconnection',
    });
    await session.setData(path, 'after');
    await waitFor(() => seen.at(-1) === 'after', { what: 'the watch to see the change' });
    expect(seen).toEqual(['before', 'after']);
  });
});
