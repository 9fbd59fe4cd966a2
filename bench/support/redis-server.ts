/**
 * A throwaway redis-server for the BullMQ side of the benchmarks: a free loopback port, a temp
 * folder, no persistence (no RDB snapshots, no AOF), stopped and removed at cleanup. The binary is
 * found by scripts/ensure-redis (REDIS_SERVER, or redis-server on the PATH).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeLoopbackPorts } from '../../src/infra/zookeeper-server/loopback-ports.ts';
import { pollUntil } from '../../src/infra/zookeeper-server/poll.ts';
import type { Cleanup } from './cleanup.ts';

const ENSURE_REDIS = fileURLToPath(new URL('../../scripts/ensure-redis', import.meta.url));

export interface RedisServer {
  readonly port: number;
  readonly pid: number;
}

/** The redis-server binary, as scripts/ensure-redis finds (or installs) it. */
export function findRedisServer(): string {
  const found = spawnSync('bash', [ENSURE_REDIS], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const path = found.stdout.trim().split('\n').pop();
  if (found.status !== 0 || !path) throw new Error('redis-server not found (see scripts/ensure-redis)');
  return path;
}

/** Starts redis-server and resolves once it answers PING. */
export async function startRedis(cleanup: Cleanup): Promise<RedisServer> {
  const binary = findRedisServer();
  const dir = cleanup.tempDir('taskd-bench-redis-');
  const [port] = await freeLoopbackPorts(1);
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
    '--logfile',
    join(dir, 'redis.log'),
  ];
  const child = spawn(binary, args, { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanup.add(async () => {
    child.kill('SIGKILL');
    await exited;
  });
  if (child.pid === undefined) throw new Error(`could not spawn ${binary}`);
  await pollUntil(() => ping(port!), { timeoutMs: 15_000, intervalMs: 50, what: `redis-server on ${port}` });
  return { port: port!, pid: child.pid };
}

/** True when a server on `port` answers PING with PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.setTimeout(500, () => socket.destroy());
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      resolve(data.toString().startsWith('+PONG'));
      socket.destroy();
    });
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
}
