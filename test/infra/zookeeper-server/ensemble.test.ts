import zookeeper, { type Client } from 'node-zookeeper-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  closeRawClient,
  connectRawClient,
  expireSession,
  fourLetterWord,
  serverOfSession,
  useZooKeeper,
  waitFor,
  waitForEvent,
  type ZooKeeperServer,
} from '../../support/zookeeper.ts';
import { createNode, readNode } from './znodes.ts';

describe('a 3-server ZooKeeper ensemble', () => {
  const zk = useZooKeeper({ servers: 3 });

  afterEach(async () => {
    for (const server of zk().servers) if (server.isPaused) await server.resume();
    await zk().startQuorum();
  });

  /** A client on the whole ensemble and the server it happens to be connected to. */
  async function clientAndItsServer(): Promise<{ client: Client; server: ZooKeeperServer }> {
    const client = await connectRawClient(zk().connectString, { sessionTimeout: 8_000 });
    const server = await waitFor(() => serverOfSession(zk(), client.getSessionId()), {
      what: "the client's session to show in some server's cons",
    });
    return { client, server };
  }

  it('forms with exactly one leader and two followers', async () => {
    const modes = await Promise.all(zk().servers.map((server) => server.mode()));
    expect(modes.filter((mode) => mode === 'leader')).toHaveLength(1);
    expect(modes.filter((mode) => mode === 'follower')).toHaveLength(2);
    expect(zk().connectString.split(',')).toEqual(zk().servers.map((s) => `127.0.0.1:${s.clientPort}`));
  });

  it.each([
    ['stopped (SIGTERM)', (server: ZooKeeperServer) => server.stop()],
    ['killed (SIGKILL)', (server: ZooKeeperServer) => server.kill()],
  ])('keeps a client working when its server is %s, and the server rejoins', async (how, takeDown) => {
    const { client, server } = await clientAndItsServer();
    try {
      const path = `/survives-${how.split(' ')[0]}`;
      await createNode(client, path, 'before');
      const reconnected = waitForEvent(client, 'connected', { what: 'the client to reconnect elsewhere' });
      await takeDown(server);
      expect(server.isRunning).toBe(false);
      await reconnected;
      expect(await readNode(client, path)).toBe('before');

      await server.start();
      expect(['leader', 'follower']).toContain(await server.mode());
      expect(client.getState()).toBe(zookeeper.State.SYNC_CONNECTED);
    } finally {
      await closeRawClient(client);
    }
  });

  it('restart brings a member back into the quorum under a new pid', async () => {
    const server = zk().servers[1]!;
    const pidBefore = server.pid;
    await server.restart();
    expect(server.pid).not.toBe(pidBefore);
    expect(['leader', 'follower']).toContain(await server.mode());
  });

  it('a paused member stops answering ruok and answers again once resumed', async () => {
    const follower = await waitFor(
      async () => {
        const modes = await Promise.all(zk().servers.map((server) => server.mode()));
        return zk().servers.find((_, i) => modes[i] === 'follower');
      },
      { what: 'a follower' },
    );
    await follower.pause();
    await expect(
      fourLetterWord('127.0.0.1', follower.clientPort, 'ruok', { timeoutMs: 500 }),
    ).rejects.toMatchObject({
      code: 'ZK_TIMEOUT',
    });
    await follower.resume();
    expect(await waitFor(() => follower.isAlive(), { what: 'the resumed follower to answer ruok' })).toBe(
      true,
    );
    await waitFor(() => follower.isServing(), { what: 'the resumed follower to serve again' });
  });

  it('stops serving after stopQuorum and serves again, with its data, after startQuorum', async () => {
    const writer = await connectRawClient(zk().connectString);
    await createNode(writer, '/before-quorum-loss', 'durable');
    await closeRawClient(writer);

    const stopped = await zk().stopQuorum();
    expect(stopped).toHaveLength(2);
    const survivor = zk().servers.find((server) => server.isRunning)!;
    expect(await survivor.isServing()).toBe(false);
    expect(await survivor.isAlive()).toBe(true);

    await zk().startQuorum();
    const modes = await Promise.all(zk().servers.map((server) => server.mode()));
    expect(modes.filter((mode) => mode === 'leader')).toHaveLength(1);
    const reader = await connectRawClient(zk().connectString);
    try {
      expect(await readNode(reader, '/before-quorum-loss')).toBe('durable');
    } finally {
      await closeRawClient(reader);
    }
  });

  it('expireSession makes a client of the ensemble see its session EXPIRED', async () => {
    const client = await connectRawClient(zk().connectString, { sessionTimeout: 4_000 });
    try {
      const expired = waitForEvent(client, 'state', {
        what: 'the client to see EXPIRED',
        match: (state) => state === zookeeper.State.EXPIRED,
      });
      await expireSession(zk().connectString, client.getSessionId(), client.getSessionPassword());
      expect(await expired).toBe(zookeeper.State.EXPIRED);
    } finally {
      await closeRawClient(client);
    }
  });
});
