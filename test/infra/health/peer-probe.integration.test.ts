/**
 * The peer probe over real TCP between network namespaces: node 1 probes nodes 2 and 3 (each with a
 * server) and the client (no server: refused). Cutting links on the peers' side, then on node 1's
 * side, shows the seed's rule: invalid only when every peer is unreachable. Needs root and iproute2.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthCheck } from '../../../src/infra/health/index.ts';
import { useNetns } from '../../support/netns.ts';
import { startTcpServer, type TcpServer } from '../../support/netns-tcp.ts';
import { waitFor } from '../../support/wait-for.ts';

const net = useNetns({ nodes: 3 });
const PORT = 7100;
const checks: HealthCheck[] = [];
const servers: TcpServer[] = [];
let probe: ChildProcess | undefined;

beforeAll(async () => {
  const [n1, n2, n3] = net().nodes;
  servers.push(await startTcpServer(net(), n2!.ns, n2!.address, PORT));
  servers.push(await startTcpServer(net(), n3!.ns, n3!.address, PORT));
  const peers = [n2!, n3!, net().client].map((host) => `${host.address}:${PORT}`);
  const options = JSON.stringify({ peers, timeoutMs: 300, intervalMs: 200 });
  const fixture = join(import.meta.dirname, 'fixtures/peer-probe-child.ts');
  probe = net().spawn(n1!.ns, [process.execPath, '--import', 'tsx', fixture, options]);
  createInterface({ input: probe.stdout! }).on('line', (line) =>
    checks.push(JSON.parse(line) as HealthCheck),
  );
});

afterAll(async () => {
  probe?.stdin?.end();
  await Promise.all(servers.map((server) => server.close()));
});

/** The first check emitted from now on that matches. */
async function nextCheck(what: string, match: (check: HealthCheck) => boolean): Promise<HealthCheck> {
  const from = checks.length;
  return waitFor(() => checks.slice(from).find(match), { what, timeoutMs: 30_000 });
}

describe('the peer probe between namespaces', () => {
  it('is valid while the peers answer, naming the one that refuses', async () => {
    const check = await nextCheck('a check with both servers reachable', (c) => c.detail.startsWith('2/3'));
    expect(check).toEqual({
      probe: 'peers',
      ok: true,
      detail: `2/3 peers reachable; unreachable: ${net().client.address}:${PORT} (ECONNREFUSED)`,
    });
  });

  it('stays valid while one peer still answers', async () => {
    const [, n2] = net().nodes;
    await net().linkDown(n2!.ns);
    const check = await nextCheck('a check with node 2 cut', (c) => c.detail.startsWith('1/3'));
    expect(check.ok).toBe(true);
    expect(check.detail).toContain(`${n2!.address}:${PORT} (no answer within 300 ms)`);
  });

  it("is invalid when every peer is cut (the node's own link down), and valid again once restored", async () => {
    const [n1, n2] = net().nodes;
    await net().linkDown(n1!.ns);
    const cut = await nextCheck('a check with every peer cut', (c) => !c.ok);
    expect(cut.detail).toMatch(/^0\/3 peers reachable: every peer is unreachable: /);

    await net().linkUp(n1!.ns);
    await net().linkUp(n2!.ns);
    const back = await nextCheck('a check with the links restored', (c) => c.detail.startsWith('2/3'));
    expect(back.ok).toBe(true);
  });
});
