import { createServer, type Socket } from 'node:net';
import zookeeper from 'node-zookeeper-client';
import { describe, expect, it } from 'vitest';
import { waitForEvent } from './first-value.ts';
import { guardHandshake } from './handshake-guard.ts';
import { waitFor } from './wait-for.ts';

describe('the handshake guard', () => {
  it('drops a connection whose server never answers the ConnectRequest, so the client tries again', async () => {
    // Stands in for a ZooKeeper 3.8.0 server that accepted during startup and then lost the connection.
    const accepted: Socket[] = [];
    const silent = createServer((socket) => {
      accepted.push(socket);
      socket.resume(); // read (and drop) the ConnectRequest, so that the client's close is seen
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const client = zookeeper.createClient(`127.0.0.1:${port}`, { sessionTimeout: 10_000, spinDelay: 10 });
    const stopGuard = guardHandshake(client, 200);
    try {
      client.connect();
      await waitFor(() => accepted.length >= 1, { what: 'the first connection' });
      const firstClosed = waitForEvent(accepted[0]!, 'close', {
        what: 'the guard to drop the stuck connection',
      });
      await firstClosed;
      await waitFor(() => accepted.length >= 2, { what: 'the client to connect again' });
      expect(accepted.length).toBeGreaterThanOrEqual(2);
    } finally {
      stopGuard();
      client.close();
      for (const socket of accepted) socket.destroy();
      silent.close();
    }
  });
});
