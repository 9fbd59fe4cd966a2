/**
 * The relay that carries TCP between namespaces over Unix sockets, tried on the host alone: a route
 * through a socket file and back carries bytes both ways, lets a client that ended its side still
 * read the answer (a four-letter word), and a delayed route holds each chunk for the delay it is set to.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freeLoopbackPorts } from '../../src/infra/zookeeper-server/loopback-ports.ts';
import { RELAY_ARGV, TcpRelay } from './tcp-relay.ts';
import { fourLetterWord } from './zookeeper.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startRelay(): TcpRelay {
  const [file = process.execPath, ...args] = RELAY_ARGV;
  const relay = new TcpRelay(spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] }), 'the test');
  cleanups.push(() => relay.close());
  return relay;
}

/** A server that answers what it read, upper-cased, once the client ends its side. */
async function shoutingServer(port: number): Promise<Server> {
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    let said = '';
    socket.on('data', (chunk) => {
      said += chunk.toString();
    });
    socket.on('end', () => socket.end(said.toUpperCase()));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return server;
}

/** `front` → a Unix socket → `back`, as two relays between namespaces would chain them. */
async function chain(relay: TcpRelay, front: number, back: number, delayed = false): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'taskd-relay-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const socket = `unix:${join(dir, 'r.sock')}`;
  await relay.route(socket, `tcp:127.0.0.1:${back}`, { delayed });
  await relay.route(`tcp:127.0.0.1:${front}`, socket);
}

describe('a TCP relay over a Unix socket', () => {
  it('carries a request and the answer to a client that ended its side', async () => {
    const [front, back] = (await freeLoopbackPorts(2)) as [number, number];
    await shoutingServer(back);
    await chain(startRelay(), front, back);
    expect(await fourLetterWord('127.0.0.1', front, 'ruok', { timeoutMs: 5_000 })).toBe('RUOK');
  });

  it('holds each chunk for the delay it is set to, and not once the delay is gone', async () => {
    const [front, back] = (await freeLoopbackPorts(2)) as [number, number];
    await shoutingServer(back);
    const relay = startRelay();
    await chain(relay, front, back, true);
    await relay.setDelay(300);
    const slow = Date.now();
    expect(await fourLetterWord('127.0.0.1', front, 'srvr', { timeoutMs: 5_000 })).toBe('SRVR');
    // The request, its end, the answer and its end each wait 300 ms on the delayed hop: at least 600 ms in all.
    expect(Date.now() - slow).toBeGreaterThanOrEqual(600);
    await relay.setDelay(0);
    expect(await fourLetterWord('127.0.0.1', front, 'stat', { timeoutMs: 5_000 })).toBe('STAT');
  });

  it('says so when it cannot listen', async () => {
    const [front, back] = (await freeLoopbackPorts(2)) as [number, number];
    const relay = startRelay();
    await relay.route(`tcp:127.0.0.1:${front}`, `tcp:127.0.0.1:${back}`);
    await expect(relay.route(`tcp:127.0.0.1:${front}`, `tcp:127.0.0.1:${back}`)).rejects.toThrow(
      /cannot listen/,
    );
  });
});
