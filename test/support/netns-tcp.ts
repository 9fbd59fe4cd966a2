/**
 * TCP endpoints inside a test namespace. The test process lives in the host's namespace and cannot
 * open a socket in another one, so a small node child does it, started with `ip netns exec`.
 */
import type { ChildProcess } from 'node:child_process';
import type { CommandResult } from '../../src/infra/command/index.ts';
import type { NetnsTopology } from './netns.ts';

/** What the server says to every connection; the client checks for it. */
export const GREETING = 'taskd-netns-ok';

const SERVER = `
const net = require('node:net');
const [host, port] = process.argv.slice(1);
// A prober that connects and resets at once makes the write fail: that must not kill the server.
const server = net.createServer((socket) => { socket.on('error', () => {}); socket.end('${GREETING}\\n'); });
server.on('error', (error) => { console.error(error.message); process.exit(2); });
server.listen(Number(port), host, () => console.log('listening'));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

const CLIENT = `
const net = require('node:net');
const [host, port, timeoutMs] = process.argv.slice(1);
const socket = net.connect({ host, port: Number(port) });
let said = '';
socket.setTimeout(Number(timeoutMs), () => { console.error('timed out'); process.exit(3); });
socket.on('data', (chunk) => { said += chunk; });
socket.on('end', () => { console.log(said.trim()); process.exit(said.includes('${GREETING}') ? 0 : 4); });
socket.on('error', (error) => { console.error(error.code || error.message); process.exit(1); });
`;

export interface TcpServer {
  readonly child: ChildProcess;
  /** Stops the server and waits for its process to end. */
  close(): Promise<void>;
}

/** Starts a TCP server on host:port inside `ns` and resolves once it listens (or rejects with why not). */
export function startTcpServer(
  topology: NetnsTopology,
  ns: string,
  host: string,
  port: number,
): Promise<TcpServer> {
  const child = topology.spawn(ns, [process.execPath, '-e', SERVER, host, String(port)]);
  const close = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  return new Promise((resolve, reject) => {
    let said = '';
    const timer = setTimeout(() => {
      void close();
      reject(new Error(`the TCP server on ${host}:${port} in ${ns} did not listen within 20 s: ${said}`));
    }, 20_000);
    const onData = (chunk: Buffer) => {
      said += chunk.toString();
      if (!said.includes('listening')) return;
      clearTimeout(timer);
      resolve({ child, close });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      said += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the TCP server on ${host}:${port} in ${ns} exited with ${code}: ${said}`));
    });
  });
}

/** Connects from `ns` to host:port; exit 0 means the server's greeting came back. */
export function tcpConnectFrom(
  topology: NetnsTopology,
  ns: string,
  host: string,
  port: number,
  timeoutMs = 5_000,
): Promise<CommandResult> {
  return topology.exec(
    ns,
    [process.execPath, '-e', CLIENT, host, String(port), String(timeoutMs)],
    timeoutMs + 10_000,
  );
}
