import type { Socket } from 'node:net';
import type { Client } from 'node-zookeeper-client';

/** The parts of node-zookeeper-client 1.1.3's private ConnectionManager that the guard reads. */
interface ConnectionManagerInternals {
  state: number;
  socket?: Socket;
}

const CONNECTING = 1;

/**
 * Works around a hang: ZooKeeper 3.8.0 (Debian's) accepts connections a few ms before a standalone
 * server has loaded its database, then fails to close them (ZOOKEEPER-5051: NPE in removeCnxn), and
 * node-zookeeper-client has no timeout between the TCP connect and the ConnectResponse. A client
 * that reconnects in that window waits forever. The guard destroys a socket stuck in the handshake
 * for `timeoutMs`; the library then tries again. The guard ends when the client is closed; the
 * returned function ends it earlier.
 */
export function guardHandshake(client: Client, timeoutMs = 2_000): () => void {
  const manager = (client as unknown as { connectionManager: ConnectionManagerInternals }).connectionManager;
  let stuck: { socket: Socket; since: number } | undefined;
  const timer = setInterval(
    () => {
      if (manager.state < 0) return clearInterval(timer); // closing, closed, expired: no more reconnects
      const socket = manager.socket;
      const inHandshake = manager.state === CONNECTING && socket && !socket.connecting && !socket.destroyed;
      if (!inHandshake) {
        stuck = undefined;
      } else if (stuck?.socket !== socket) {
        stuck = { socket, since: Date.now() };
      } else if (Date.now() - stuck.since >= timeoutMs) {
        socket.destroy();
        stuck = undefined;
      }
    },
    Math.min(250, timeoutMs),
  );
  timer.unref();
  return () => clearInterval(timer);
}
