/**
 * The VIP adapter against the real `ip` and `arping`, inside network namespaces made for this file:
 * two taskd nodes and a client on a bridge. Needs root and iproute2 + iputils-arping (it fails,
 * saying so, without them).
 */
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createVipAdapter, type VipAdapter } from '../../../src/infra/vip/index.ts';
import { useNetns } from '../../support/netns.ts';
import { startTcpServer, tcpConnectFrom } from '../../support/netns-tcp.ts';
import { waitFor } from '../../support/wait-for.ts';

const net = useNetns({ nodes: 2 });
const adapterIn = (ns: string): VipAdapter => createVipAdapter({ netns: ns, timeoutMs: 15_000 });
const noArp = { arpCount: 0, arpIntervalMs: 1_000 };

const macOf = async (ns: string): Promise<string> => {
  const result = await net().exec(ns, ['ip', '-j', 'link', 'show', 'dev', 'eth0']);
  return (JSON.parse(result.output) as [{ address: string }])[0].address;
};

const neighbourOf = async (ns: string, address: string): Promise<string> =>
  (await net().exec(ns, ['ip', 'neigh', 'show', address, 'dev', 'eth0'])).output;

describe('acquiring and releasing the VIP on a node', () => {
  it('puts the address on the node interface, and the client reaches a server bound to it', async () => {
    const [n1] = net().nodes;
    const request = {
      address: net().address(200),
      prefix: 24,
      iface: 'eth0',
      arpCount: 1,
      arpIntervalMs: 1_000,
    };
    const outcome = await adapterIn(n1!.ns).acquire(request);
    expect(outcome).toMatchObject({
      ok: true,
      operation: 'acquire',
      unchanged: false,
      arp: { status: 'sent' },
    });
    expect(await net().addrsOf(n1!.ns)).toContain(`${request.address}/24`);

    const server = await startTcpServer(net(), n1!.ns, request.address, 7000);
    try {
      const reached = await tcpConnectFrom(net(), net().client.ns, request.address, 7000);
      expect(reached.exitCode, reached.output).toBe(0);
    } finally {
      await server.close();
      await adapterIn(n1!.ns).release(request);
    }
  });

  it('acquires twice without error and keeps a single copy', async () => {
    const [n1] = net().nodes;
    const request = { address: net().address(204), prefix: 24, iface: 'eth0', ...noArp };
    expect(await adapterIn(n1!.ns).acquire(request)).toMatchObject({ ok: true, unchanged: false });
    expect(await adapterIn(n1!.ns).acquire(request)).toMatchObject({ ok: true, unchanged: true });
    expect((await net().addrsOf(n1!.ns)).filter((cidr) => cidr === `${request.address}/24`)).toHaveLength(1);
    expect(await adapterIn(n1!.ns).isPresent(request)).toMatchObject({
      ok: true,
      present: true,
      prefixes: [24],
    });
    await adapterIn(n1!.ns).release(request);
  });

  it('releases it, and releasing again is fine', async () => {
    const [n1] = net().nodes;
    const target = { address: net().address(205), prefix: 24, iface: 'eth0' };
    expect(await adapterIn(n1!.ns).acquire({ ...target, ...noArp })).toMatchObject({ ok: true });
    expect(await adapterIn(n1!.ns).release(target)).toMatchObject({
      ok: true,
      operation: 'release',
      unchanged: false,
    });
    expect(await net().addrsOf(n1!.ns)).not.toContain(`${target.address}/24`);
    expect(await adapterIn(n1!.ns).release(target)).toMatchObject({ ok: true, unchanged: true });
    expect(await adapterIn(n1!.ns).isPresent(target)).toMatchObject({
      ok: true,
      present: false,
      prefixes: [],
    });
  });

  it('reports an unknown interface as a config error with the command output', async () => {
    const [n1] = net().nodes;
    const target = { address: net().address(201), prefix: 24, iface: 'nosuch0' };
    const acquired = await adapterIn(n1!.ns).acquire({ ...target, ...noArp });
    expect(acquired).toMatchObject({ ok: false, operation: 'acquire', cause: 'config' });
    if (acquired.ok) return;
    expect(acquired.message).toContain('unknown interface');
    expect(acquired.output).toContain('Device "nosuch0" does not exist.');
    const released = await adapterIn(n1!.ns).release(target);
    expect(released).toMatchObject({ ok: false, operation: 'release', cause: 'config' });
    if (!released.ok) expect(released.output).toContain('Cannot find device "nosuch0"');
  });

  it('refuses an address outside the interface subnet as a config error, adding nothing', async () => {
    const [n1] = net().nodes;
    const outside = `10.${randomInt(0, 200)}.${randomInt(0, 256)}.200`;
    const outcome = await adapterIn(n1!.ns).acquire({
      address: outside,
      prefix: 24,
      iface: 'eth0',
      ...noArp,
    });
    expect(outcome).toMatchObject({
      ok: false,
      cause: 'config',
      message: expect.stringContaining('is in no subnet of eth0'),
    });
    expect(await net().addrsOf(n1!.ns)).not.toContain(`${outside}/24`);
  });

  it('fails transiently while the link is down, and acquires once it is back', async () => {
    const [, n2] = net().nodes;
    const request = { address: net().address(202), prefix: 24, iface: 'eth0', ...noArp };
    await net().linkDown(n2!.ns);
    try {
      const outcome = await adapterIn(n2!.ns).acquire(request);
      expect(outcome).toMatchObject({
        ok: false,
        cause: 'transient',
        message: expect.stringContaining('eth0 is down'),
      });
    } finally {
      await net().linkUp(n2!.ns);
    }
    expect(await adapterIn(n2!.ns).acquire(request)).toMatchObject({ ok: true });
    expect(await adapterIn(n2!.ns).release(request)).toMatchObject({ ok: true, unchanged: false });
  });

  it('cleans a copy left by an earlier run, whatever its prefix', async () => {
    const [n1] = net().nodes;
    const vip = net().address(203);
    const added = await net().exec(n1!.ns, ['ip', 'addr', 'add', `${vip}/32`, 'dev', 'eth0']);
    expect(added.exitCode, added.output).toBe(0);
    const target = { address: vip, prefix: 24, iface: 'eth0' };
    expect(await adapterIn(n1!.ns).cleanStale(target)).toMatchObject({
      ok: true,
      operation: 'release',
      unchanged: false,
    });
    expect(await net().addrsOf(n1!.ns)).not.toContain(`${vip}/32`);
    expect(await adapterIn(n1!.ns).cleanStale(target)).toMatchObject({ ok: true, unchanged: true });
  });

  it('holds an IPv6 VIP, usable at once (no DAD), and says no ARP was sent', async () => {
    const [n1] = net().nodes;
    const ula = `fd${randomInt(0, 256).toString(16).padStart(2, '0')}:${randomInt(0, 65_536).toString(16)}::`;
    const own = await net().exec(n1!.ns, ['ip', 'addr', 'add', `${ula}11/64`, 'dev', 'eth0', 'nodad']);
    expect(own.exitCode, own.output).toBe(0);
    const request = { address: `${ula}200`, prefix: 64, iface: 'eth0', arpCount: 1, arpIntervalMs: 1_000 };
    const outcome = await adapterIn(n1!.ns).acquire(request);
    expect(outcome).toMatchObject({
      ok: true,
      arp: { status: 'skipped', reason: expect.stringContaining('IPv6') },
    });
    expect(await net().addrsOf(n1!.ns)).toContain(`${ula}200/64`);
    expect(await adapterIn(n1!.ns).release(request)).toMatchObject({ ok: true, unchanged: false });
  });
});

describe('gratuitous ARP', () => {
  it('is sent with arping, and a move repoints the client at the new holder', async () => {
    const [n1, n2] = net().nodes;
    const client = net().client.ns;
    // Linux only creates neighbour entries from gratuitous ARP when arp_accept is on.
    const sysctl = await net().exec(client, ['sysctl', '-w', 'net.ipv4.conf.all.arp_accept=1']);
    expect(sysctl.exitCode, sysctl.output).toBe(0);
    const request = {
      address: net().address(210),
      prefix: 24,
      iface: 'eth0',
      arpCount: 1,
      arpIntervalMs: 1_000,
    };

    const first = await adapterIn(n1!.ns).acquire(request);
    expect(first.ok).toBe(true);
    const arping = first.commands.find((command) => command.argv.includes('arping'));
    expect(arping).toMatchObject({ exitCode: 0, output: expect.stringContaining('Sent 1 probes') });
    const mac1 = await macOf(n1!.ns);
    await waitFor(async () => (await neighbourOf(client, request.address)).includes(mac1), {
      what: "the client's neighbour entry for the VIP to name node 1",
    });

    expect(await adapterIn(n1!.ns).release(request)).toMatchObject({ ok: true });
    expect(await adapterIn(n2!.ns).acquire({ ...request, arpCount: 2 })).toMatchObject({
      ok: true,
      arp: { status: 'sent' },
    });
    const mac2 = await macOf(n2!.ns);
    await waitFor(async () => (await neighbourOf(client, request.address)).includes(mac2), {
      what: "the client's neighbour entry for the VIP to name node 2",
    });
    expect(await adapterIn(n2!.ns).release(request)).toMatchObject({ ok: true });
  });
});
