/**
 * Each node in a network namespace of its own on a test subnet (test/support/netns.ts), reaching the
 * host's ensemble only through its veth: the subnet's client namespace is the gateway, where a relay
 * listens on the subnet address and carries each connection over a Unix socket to a relay on the
 * host, then to the server. Cutting a node's `eth0` cuts its ZooKeeper and nothing else. The node's
 * API is carried to the same port on the host's loopback over a Unix socket (not the veth), so the
 * test keeps watching a node it cut off, as an operator on a management network would. The nodes
 * are given a VIP on the subnet (`eth0` in each namespace), so that every schedule that cuts a link
 * also shows where the VIP was: in the journals for replay, and in `ip addr` at the end.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ZooKeeperCluster } from '../../src/infra/zookeeper-server/index.ts';
import { createTopology, type NetnsTopology } from '../support/netns.ts';
import { holdersOf } from '../support/netns-taskd.ts';
import { RELAY_ARGV, TcpRelay } from '../support/tcp-relay.ts';
import type { StageNetwork } from './chaos-stage.ts';

/** Opens the namespaces and the relays; on failure removes what it made and throws. */
export async function openNodeNamespaces(zookeeper: ZooKeeperCluster): Promise<StageNetwork> {
  const topology = await createTopology({ nodes: 3 });
  const dir = mkdtempSync(join(tmpdir(), 'taskd-stage-'));
  const relays: TcpRelay[] = [];
  const nsOf = new Map<string, string>();
  const close = async () => {
    await Promise.all(relays.map((relay) => relay.close()));
    await topology.destroy();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const host = hostRelay(relays);
    const gatewayNs = topology.client.ns;
    const gateway = relayIn(topology, gatewayNs, relays);
    for (const server of zookeeper.servers) {
      const socket = `unix:${join(dir, `zk${server.clientPort}.sock`)}`;
      await host.route(socket, `tcp:127.0.0.1:${server.clientPort}`);
      await gateway.route(`tcp:${topology.client.address}:${server.clientPort}`, socket);
    }
    const zk = zookeeper.servers.map((s) => `${topology.client.address}:${s.clientPort}`).join(',');
    const vip = topology.address(VIP_HOST);
    const flags = ['--vip', vip, '--vip-prefix', String(topology.prefix), '--vip-iface', 'eth0'];
    return {
      kind: 'node-namespaces',
      zookeeper,
      vip: {
        address: vip,
        holders: async () => {
          const held = new Set(await holdersOf(topology, [...nsOf.values()], vip));
          return [...nsOf].filter(([, ns]) => held.has(ns)).map(([nodeId]) => nodeId);
        },
      },
      place: async (nodeId, index, port) => {
        const ns = topology.nodes[index]?.ns;
        if (ns === undefined) throw new Error(`no namespace for node ${index + 1}`);
        nsOf.set(nodeId, ns);
        const socket = `unix:${join(dir, `api${port}.sock`)}`;
        await relayIn(topology, ns, relays).route(socket, `tcp:127.0.0.1:${port}`);
        await host.route(`tcp:127.0.0.1:${port}`, socket);
        return { zk, commandPrefix: ['ip', 'netns', 'exec', ns], flags };
      },
      setLinkUp: async (nodeId, up) => {
        const ns = nsOf.get(nodeId);
        if (ns === undefined) throw new Error(`node ${nodeId} has no namespace`);
        await (up ? topology.linkUp(ns) : topology.linkDown(ns));
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The VIP's last octet on the test subnet (nodes are .11…, the client .100). */
const VIP_HOST = 200;

function hostRelay(relays: TcpRelay[]): TcpRelay {
  const [file = process.execPath, ...args] = RELAY_ARGV;
  const relay = new TcpRelay(spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] }), 'the host');
  relays.push(relay);
  return relay;
}

function relayIn(topology: NetnsTopology, ns: string, relays: TcpRelay[]): TcpRelay {
  const relay = new TcpRelay(topology.spawn(ns, RELAY_ARGV), ns);
  relays.push(relay);
  return relay;
}
