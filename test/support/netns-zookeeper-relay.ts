/**
 * ZooKeeper for processes inside test namespaces, on a path that no link of the test subnet carries.
 * The server runs on the host's loopback as in every other test; a namespace cannot reach that
 * loopback, but a Unix socket (a file) is reachable from every namespace. So one small relay process
 * on the host forwards a socket file to the server, and one per namespace listens on the namespace's
 * own 127.0.0.1 and forwards to the socket file. Cutting `eth0` therefore never cuts ZooKeeper (the
 * "management network" of a real deployment), and nothing is added to the host's own network. The
 * relays are processes of their own so that the test's event loop is never on ZooKeeper's path. A
 * closed end closes the other, so a killed client still looks killed to the server (its session
 * expires; it is not closed). Each relay exits when its stdin ends, that is when the test process dies.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetnsTopology } from './netns.ts';

/** `node -e RELAY LISTEN CONNECT`, each `unix:PATH` or `tcp:HOST:PORT`. */
const RELAY = `
const net = require('node:net');
const endpoint = (spec) => spec.startsWith('unix:')
  ? { path: spec.slice(5) }
  : { host: spec.slice(4, spec.lastIndexOf(':')), port: Number(spec.slice(spec.lastIndexOf(':') + 1)) };
const [listen, connect] = process.argv.slice(1).map(endpoint);
const server = net.createServer((inbound) => {
  const outbound = net.createConnection(connect);
  const both = [inbound, outbound];
  const cut = () => { for (const socket of both) socket.destroy(); };
  for (const socket of both) { socket.on('error', cut); socket.on('close', cut); }
  inbound.pipe(outbound);
  outbound.pipe(inbound);
});
server.on('error', (error) => { console.error(error.message); process.exit(2); });
server.listen(listen, () => console.log('listening'));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

export interface ZooKeeperRelay {
  /** The connect string to give taskd inside any relayed namespace. */
  readonly connectString: string;
  /** Stops the relays (open connections are cut). Idempotent. */
  close(): Promise<void>;
}

/** Relays `server` (`127.0.0.1:PORT` on the host) into each of `namespaces`, on the same port. */
export async function relayZooKeeper(
  topology: NetnsTopology,
  namespaces: readonly string[],
  server: string,
): Promise<ZooKeeperRelay> {
  const port = Number(server.slice(server.lastIndexOf(':') + 1));
  const dir = mkdtempSync(join(tmpdir(), 'taskd-zkrelay-'));
  const socket = `unix:${join(dir, 'zk.sock')}`;
  const children: ChildProcess[] = [];
  const close = async () => {
    await Promise.all(children.map(killAndWait));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const hostSide = spawn(process.execPath, ['-e', RELAY, socket, `tcp:127.0.0.1:${port}`], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.push(hostSide);
    await saysListening(hostSide, 'the ZooKeeper relay on the host');
    for (const ns of namespaces) {
      const child = topology.spawn(ns, [process.execPath, '-e', RELAY, `tcp:127.0.0.1:${port}`, socket]);
      children.push(child);
      await saysListening(child, `the ZooKeeper relay in ${ns}`);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { connectString: `127.0.0.1:${port}`, close };
}

function killAndWait(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Resolves once `child` prints "listening"; rejects with what it said if it exits or stays silent. */
function saysListening(child: ChildProcess, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let said = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not listen within 20 s: ${said}`)), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (!said.includes('listening')) return;
      clearTimeout(timer);
      resolve();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      said += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}: ${said}`));
    });
  });
}
