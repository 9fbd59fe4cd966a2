/**
 * node-zookeeper-client 1.1.3 writes every request to the socket on its own, as it is queued: one
 * write system call (and on loopback, one trip through the network stack to the server) per request.
 * Under load that was the costliest single thing a node did (a sixth of its CPU time in the profiles
 * of the latency benchmark), while a node makes its requests in bursts: the reads a watch fire starts,
 * the read-ahead of the task log, the appends of several streams.
 *
 * Here the socket is corked when the first request of a turn is queued and uncorked once the turn's
 * synchronous work and its ticks are done, so the requests of one turn leave in one write. Nothing
 * else changes: the library still assigns xids and queues packets in order, and back pressure still
 * works (a corked socket reports a full buffer, and 'drain' follows the uncork).
 */
import type { Socket } from 'node:net';
import type { ConnectionManager } from './connection-manager.ts';

/** Installs the coalescing on `cm`; call before the client connects. */
export function coalesceWrites(cm: Pick<ConnectionManager, 'packetQueue' | 'socket'>): void {
  let corked: Socket | undefined;
  // Runs before the library's own listener, which writes the queued packets.
  cm.packetQueue.prependListener('readable', () => {
    const socket = cm.socket;
    if (socket === undefined || socket === corked || socket.destroyed) return;
    socket.cork();
    corked = socket;
    process.nextTick(() => {
      corked = undefined;
      socket.uncork();
    });
  });
}
