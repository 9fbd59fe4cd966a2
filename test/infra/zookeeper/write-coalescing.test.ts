/**
 * Requests queued in one turn leave in one socket write: the socket is corked before the library
 * writes the first of them and uncorked once the turn's ticks are done. The library's queue and
 * socket are stand-ins with the same events and calls.
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Packet } from '../../../src/infra/zookeeper/connection-manager.ts';
import { coalesceWrites } from '../../../src/infra/zookeeper/write-coalescing.ts';

/** A socket that records what reaches the wire: each uncork flushes what was written while corked. */
function fakeSocket() {
  const flushes: string[][] = [];
  let corks = 0;
  let buffered: string[] = [];
  const socket = {
    destroyed: false,
    cork: () => {
      corks++;
    },
    uncork: () => {
      corks--;
      if (corks === 0 && buffered.length > 0) {
        flushes.push(buffered);
        buffered = [];
      }
    },
    write: (chunk: string) => {
      if (corks > 0) buffered.push(chunk);
      else flushes.push([chunk]);
      return true;
    },
  };
  return { socket, flushes };
}

/** The library's queue, with its own 'readable' listener that writes every packet at once. */
function library() {
  const { socket, flushes } = fakeSocket();
  const packetQueue = Object.assign(new EventEmitter(), { queue: [] as Packet[] });
  const cm = { packetQueue, socket: socket as unknown as Socket };
  packetQueue.on('readable', () => {
    for (let packet = packetQueue.queue.shift(); packet; packet = packetQueue.queue.shift())
      socket.write(packet.request as string);
  });
  const queue = (request: string) => {
    packetQueue.queue.push({ request, callback: () => undefined });
    packetQueue.emit('readable');
  };
  return { cm, queue, flushes };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('when requests are queued in one turn', () => {
  it('writes them in one flush, in the order they were queued', async () => {
    const lib = library();
    coalesceWrites(lib.cm);
    lib.queue('a');
    lib.queue('b');
    await Promise.resolve().then(() => lib.queue('c'));
    await nextTurn();
    expect(lib.flushes).toEqual([['a', 'b', 'c']]);
  });

  it('writes the requests of a later turn in a flush of their own', async () => {
    const lib = library();
    coalesceWrites(lib.cm);
    lib.queue('a');
    await nextTurn();
    lib.queue('b');
    await nextTurn();
    expect(lib.flushes).toEqual([['a'], ['b']]);
  });

  it('leaves a destroyed socket alone', async () => {
    const lib = library();
    coalesceWrites(lib.cm);
    (lib.cm.socket as unknown as { destroyed: boolean }).destroyed = true;
    lib.queue('a');
    await nextTurn();
    expect(lib.flushes).toEqual([['a']]);
  });
});
