import zookeeper from 'node-zookeeper-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  closeRawClient,
  connectRawClient,
  expireSession,
  fourLetterWord,
  useZooKeeper,
  waitFor,
  waitForEvent,
} from '../../support/zookeeper.ts';
import { createNode, readNode } from './znodes.ts';

describe('a standalone ZooKeeper server', () => {
  const zk = useZooKeeper({ servers: 1 });

  afterEach(async () => {
    const server = zk().servers[0]!;
    if (server.isPaused) await server.resume();
    if (!server.isRunning) await zk().startQuorum();
  });

  it('answers ruok with imok and srvr with its standalone mode', async () => {
    const server = zk().servers[0]!;
    expect(zk().connectString).toBe(`127.0.0.1:${server.clientPort}`);
    expect(await fourLetterWord('127.0.0.1', server.clientPort, 'ruok')).toBe('imok');
    expect(await fourLetterWord('127.0.0.1', server.clientPort, 'srvr')).toMatch(/^Mode: standalone$/m);
    expect(await server.mode()).toBe('standalone');
    expect(server.pid).toBeGreaterThan(0);
  });

  it('allows session timeouts down to two ticks', async () => {
    const client = await connectRawClient(zk().connectString, { sessionTimeout: 1_000 });
    try {
      expect(client.getSessionTimeout()).toBe(1_000);
    } finally {
      await closeRawClient(client);
    }
  });

  it('stops answering while paused and answers again once resumed', async () => {
    const server = zk().servers[0]!;
    await server.pause();
    await expect(
      fourLetterWord('127.0.0.1', server.clientPort, 'ruok', { timeoutMs: 500 }),
    ).rejects.toMatchObject({
      code: 'ZK_TIMEOUT',
    });
    expect(await server.isServing()).toBe(false);
    await server.resume();
    await waitFor(() => server.isAlive(), { what: 'the resumed server to answer ruok' });
    expect(await server.mode()).toBe('standalone');
  });

  it('keeps its data across a restart on the same port', async () => {
    const client = await connectRawClient(zk().connectString);
    try {
      await createNode(client, '/restart-survivor', 'kept');
      const server = zk().servers[0]!;
      const pidBefore = server.pid;
      await server.restart();
      expect(server.pid).not.toBe(pidBefore);
      expect(
        await waitFor(() => readNode(client, '/restart-survivor'), { what: 'the znode after restart' }),
      ).toBe('kept');
    } finally {
      await closeRawClient(client);
    }
  });

  it('stops serving after stopQuorum and serves again after startQuorum', async () => {
    const server = zk().servers[0]!;
    const stopped = await zk().stopQuorum();
    expect(stopped).toEqual([server]);
    expect(server.isRunning).toBe(false);
    await expect(fourLetterWord('127.0.0.1', server.clientPort, 'ruok')).rejects.toMatchObject({
      code: 'ZK_CONNECTION_LOSS',
    });
    await zk().startQuorum();
    expect(await server.mode()).toBe('standalone');
  });

  it('expireSession makes the first client see its session EXPIRED', async () => {
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
