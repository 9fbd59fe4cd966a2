/**
 * The EventLog contract against a real EventStoreDB, when TASKD_ESDB_URL names one, e.g.
 *   TASKD_ESDB_URL='esdb://localhost:2113?tls=false' npx vitest run test/infra/log/eventstoredb.contract.test.ts
 * Without it the contract tests are not registered, and the run says so on stderr.
 *
 * The file always runs the server-free tests of the fixture's own machinery (the proxy that cuts the
 * connection, the routing through it). They are not stand-ins for the contract: vitest fails a file
 * that registers no test, and these are what this file needs to be right.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../support/wait-for.ts';
import { describeEventLogContract } from './contract.ts';
import { esdbFixture } from './eventstoredb/esdb-fixture.ts';
import { proxyableEsdbUrl } from './eventstoredb/esdb-url.ts';
import { startTcpProxy, type TcpProxy } from './eventstoredb/tcp-proxy.ts';

const esdbUrl = process.env.TASKD_ESDB_URL;

if (esdbUrl === undefined || esdbUrl.trim() === '') {
  console.warn(
    'EventStoreDB contract suite NOT RUN: set TASKD_ESDB_URL=esdb://host:2113?tls=false to run it',
  );
} else {
  // One cluster per run: its streams are `taskd-<cluster>:<stream>`, apart from any earlier run's.
  const cluster = `contract-${randomUUID().slice(0, 8)}`;
  describeEventLogContract('eventstoredb', () => esdbFixture(esdbUrl, cluster), {
    timeoutMs: 120_000,
    waitMs: 30_000,
  });
}

describe('the EventStoreDB contract fixture', () => {
  describe('routing TASKD_ESDB_URL through the interrupting proxy', () => {
    it('routes a single plain-TCP node, keeping credentials and options', () => {
      const route = proxyableEsdbUrl('esdb://admin:changeit@db.example:2113?tls=false&defaultDeadline=5000');
      expect(route?.target).toEqual({ host: 'db.example', port: 2113 });
      expect(route?.through(5555)).toBe(
        'esdb://admin:changeit@127.0.0.1:5555?tls=false&defaultDeadline=5000',
      );
      expect(proxyableEsdbUrl('esdb://localhost?TLS=False')?.target).toEqual({
        host: 'localhost',
        port: 2113,
      });
    });

    it('leaves TLS, gossip discovery and several hosts alone, so there is no interruptConnection', () => {
      expect(proxyableEsdbUrl('esdb://localhost:2113')).toBeUndefined();
      expect(proxyableEsdbUrl('esdb://localhost:2113?tls=true')).toBeUndefined();
      expect(proxyableEsdbUrl('esdb+discover://cluster.example:2113?tls=false')).toBeUndefined();
      expect(proxyableEsdbUrl('esdb://a:2113,b:2113?tls=false')).toBeUndefined();
    });
  });

  describe('the TCP proxy', () => {
    const closers: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const close of closers.splice(0).reverse()) await close();
    });

    async function echoBehindProxy(): Promise<TcpProxy> {
      const echo = createServer((socket) => {
        socket.on('error', () => {
          // the proxy resets its side on purpose
        });
        socket.pipe(socket);
      }).listen(0, '127.0.0.1');
      await once(echo, 'listening');
      closers.push(() => new Promise<void>((resolve) => echo.close(() => resolve())));
      const address = echo.address();
      if (address === null || typeof address === 'string') throw new Error('no TCP address');
      const proxy = await startTcpProxy({ host: '127.0.0.1', port: address.port });
      closers.push(proxy.close);
      return proxy;
    }

    async function dial(port: number): Promise<Socket> {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => {
        // a reset is what the tests cause; 'close' reports it
      });
      closers.push(async () => {
        socket.destroy();
      });
      await once(socket, 'connect');
      return socket;
    }

    async function roundTrip(socket: Socket, text: string): Promise<string> {
      const reply = once(socket, 'data');
      socket.write(text);
      return String((await reply)[0]);
    }

    it('forwards bytes both ways to its target', async () => {
      const proxy = await echoBehindProxy();
      expect(await roundTrip(await dial(proxy.port), 'ping')).toBe('ping');
    });

    it('cuts every open connection at once, then accepts new ones', async () => {
      const proxy = await echoBehindProxy();
      const [first, second] = [await dial(proxy.port), await dial(proxy.port)];
      await roundTrip(first, 'a');
      await roundTrip(second, 'b');
      // Not events.once: it rejects on the 'error' (ECONNRESET) that comes before 'close'.
      const closed = Promise.all(
        [first, second].map((socket) => new Promise((resolve) => socket.once('close', resolve))),
      );
      proxy.dropConnections();
      await closed;
      await waitFor(() => proxy.openConnections() === 0, { what: 'the proxy to forget the cut connections' });
      expect(await roundTrip(await dial(proxy.port), 'again')).toBe('again');
    });
  });
});
