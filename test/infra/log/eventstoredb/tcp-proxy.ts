/**
 * A loopback TCP proxy that can cut every connection through it at once: how the contract run
 * interrupts the client's connection to a real EventStoreDB without stopping the server. New
 * connections are accepted again right after, so the client can reconnect through it.
 */
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  /** Loopback port the proxy listens on. */
  readonly port: number;
  /** Connections open through the proxy now. */
  readonly openConnections: () => number;
  /** Resets every open connection, both sides; keeps listening. */
  readonly dropConnections: () => void;
  /** Drops the connections and stops listening. */
  readonly close: () => Promise<void>;
}

/** Listens on 127.0.0.1 (a free port) and forwards each connection to `target`. */
export async function startTcpProxy(target: {
  readonly host: string;
  readonly port: number;
}): Promise<TcpProxy> {
  const pairs = new Set<readonly [Socket, Socket]>();
  const server = createServer((inbound) => {
    const outbound = connect(target.port, target.host);
    const pair = [inbound, outbound] as const;
    pairs.add(pair);
    const end = (): void => {
      pairs.delete(pair);
      inbound.destroy();
      outbound.destroy();
    };
    for (const socket of pair) {
      socket.on('error', end);
      socket.on('close', end);
    }
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP address');

  const dropConnections = (): void => {
    for (const pair of [...pairs]) {
      pairs.delete(pair);
      // A reset, not a graceful end: what a dead network or a killed server looks like to the client.
      for (const socket of pair) socket.resetAndDestroy();
    }
  };
  return {
    port: address.port,
    openConnections: () => pairs.size,
    dropConnections,
    close: async () => {
      dropConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
