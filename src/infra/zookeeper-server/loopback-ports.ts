import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Below the kernel's ephemeral range, so outgoing connections never take a port we chose. */
const LOWEST_PORT = 20_000;

/** Picks `count` distinct ports that are free on 127.0.0.1 right now. */
export async function freeLoopbackPorts(count: number): Promise<number[]> {
  const highest = ephemeralRangeStart() - 1;
  const chosen = new Set<number>();
  while (chosen.size < count) {
    const port = LOWEST_PORT + Math.floor(Math.random() * (highest - LOWEST_PORT));
    if (!chosen.has(port) && (await isFree(port))) chosen.add(port);
  }
  return [...chosen];
}

function ephemeralRangeStart(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > LOWEST_PORT + 1000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve(true)));
  });
}
