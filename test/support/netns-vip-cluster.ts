/**
 * A taskd cluster on a real network, for one test file: each node a real taskd process in its own
 * namespace with an address on the test subnet (its secondary network: the API on 0.0.0.0, the VIP,
 * the peer health probes), a client namespace that knows only the VIP, and ZooKeeper reached over a
 * path that no cut of the subnet touches (netns-zookeeper-relay.ts). Created before the first test;
 * processes, relays, ZooKeeper and namespaces are removed after the last, also when a test failed
 * (the node folders are then kept, and named, for their logs and journals).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import type { ClusterView } from '../../src/streams/task-service.ts';
import { type NetnsTopology, useNetns } from './netns.ts';
import { NetnsHttp } from './netns-http.ts';
import { holdersOf, leaderAmong, NetnsTaskd, type NetnsTaskdOptions } from './netns-taskd.ts';
import { relayZooKeeper, type ZooKeeperRelay } from './netns-zookeeper-relay.ts';
import { useZooKeeper, waitFor } from './zookeeper.ts';

export interface VipClusterOptions {
  readonly nodes: number;
  /** The API port of every node (each namespace has ports of its own). */
  readonly port: number;
  readonly sessionTimeoutMs: number;
  /** Every node's `--config` file (the settings that have no flag). */
  readonly configYaml: string;
  /** The VIP's last octet in the test subnet (nodes are .11…, the client .100). */
  readonly vipHost: number;
}

export interface VipCluster {
  readonly net: NetnsTopology;
  readonly name: string;
  readonly vip: string;
  readonly nodes: readonly NetnsTaskd[];
  /** An HTTP client in the client namespace. */
  readonly client: NetnsHttp;
  /** The namespaces (nodes' and client's) that have the VIP on eth0. */
  vipHolders(): Promise<string[]>;
  /** GET /v1/cluster from the client through the VIP; undefined when it fails. */
  viaVip(timeoutMs?: number): Promise<{ view: ClusterView; at: number } | undefined>;
  /**
   * Waits until `node` leads and holds the VIP alone (in `ip addr`, and in its own state, which it
   * records once the gratuitous ARP went out), and the client reaches it through the VIP. A killed
   * node could not delete its copy: `staleCopyIn` names it.
   */
  expectVipServedBy(node: NetnsTaskd, what: string, staleCopyIn?: NetnsTaskd): Promise<ClusterView>;
  /**
   * Waits for the first request through the VIP that a node other than `old` answers as leader (after
   * `old` was killed: how long a client waits for failover); returns it with when it was answered.
   */
  firstServedBesides(old: NetnsTaskd, what: string): Promise<{ view: ClusterView; at: number }>;
  /** Waits until the client reaches, through the VIP, a leader that holds it alone; returns that node. */
  expectVipServedByALeader(what: string): Promise<NetnsTaskd>;
  /** Waits for a node of `among` that says it leads. */
  currentLeader(among?: readonly NetnsTaskd[]): Promise<{ node: NetnsTaskd; view: ClusterView }>;
  /** Members that the first running node's view calls healthy. */
  healthyMembers(): Promise<number>;
  /** One line per leadership change in the journals since `since`, oldest first, for messages. */
  leadershipChanges(since: number): Promise<string[]>;
  /** Submits `count` noop tasks through `node`'s loopback API and waits until each succeeded. */
  runNoopTasks(node: NetnsTaskd, count: number): Promise<void>;
  /** A node outside the cluster, in the first node's namespace; not started, and the caller kills it. */
  extraNode(options: Pick<NetnsTaskdOptions, 'nodeId' | 'cluster' | 'port' | 'flags'>): NetnsTaskd;
}

export interface OpenedVipCluster {
  readonly cluster: VipCluster;
  /** The node folders (logs, journals). */
  readonly root: string;
  /** Kills the nodes, stops the relays; removes the folders unless `keepFolders`. Idempotent. */
  close(keepFolders: boolean): Promise<void>;
}

/**
 * Starts the cluster on `net` with ZooKeeper at `server` (`127.0.0.1:PORT` on the host) and waits for
 * every node to be a healthy member and for a leader. On failure it removes what it made (the
 * folders are kept and named in the error) and throws. For the tests (useVipCluster) and the bench.
 */
export async function openVipCluster(
  net: NetnsTopology,
  server: string,
  options: VipClusterOptions,
): Promise<OpenedVipCluster> {
  const root = mkdtempSync(join(tmpdir(), 'taskd-vip-netns-'));
  let relay: ZooKeeperRelay | undefined;
  let cluster: VipCluster | undefined;
  let closed = false;
  const close = async (keepFolders: boolean) => {
    if (closed) return;
    closed = true;
    await Promise.allSettled((cluster?.nodes ?? []).map((node) => node.kill()));
    for (const node of cluster?.nodes ?? []) node.http.close();
    cluster?.client.close();
    await relay?.close();
    if (!keepFolders) rmSync(root, { recursive: true, force: true });
  };
  try {
    relay = await relayZooKeeper(
      net,
      net.nodes.map((host) => host.ns),
      server,
    );
    cluster = createCluster(net, relay.connectString, root, options);
    for (const node of cluster.nodes) node.start();
    const ready = cluster;
    await waitFor(
      async () =>
        (await ready.healthyMembers()) === options.nodes && (await leaderAmong(ready.nodes)) !== undefined,
      { what: `${options.nodes} healthy members and a leader`, timeoutMs: 90_000, intervalMs: 250 },
    );
  } catch (error) {
    await close(true);
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message} (node folders kept in ${root})`, { cause: error });
  }
  return { cluster, root, close };
}

/** Sets the cluster up around the tests of the calling file; returns an accessor for tests. */
export function useVipCluster(options: VipClusterOptions): () => VipCluster {
  const net = useNetns({ nodes: options.nodes });
  const zookeeper = useZooKeeper({ servers: 1 });
  let opened: OpenedVipCluster | undefined;
  let failed = false;

  beforeAll(async () => {
    opened = await openVipCluster(net(), zookeeper().connectString, options);
  });

  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => {
      failed = true;
    });
  });

  afterAll(async () => {
    await opened?.close(failed);
    if (failed && opened !== undefined)
      console.log(`[vip.netns] a test failed: node folders (logs, journals) kept in ${opened.root}`);
  });

  return () => {
    if (opened === undefined)
      throw new Error('useVipCluster: the cluster is not started (use it inside tests)');
    return opened.cluster;
  };
}

function createCluster(net: NetnsTopology, zk: string, root: string, options: VipClusterOptions): VipCluster {
  const name = `vip${randomBytes(3).toString('hex')}`;
  const vip = net.address(options.vipHost);
  const nodeOptions = (host: (typeof net.nodes)[number], nodeId: string) => ({
    topology: net,
    host,
    nodeId,
    cluster: name,
    zk,
    dir: join(root, nodeId),
    port: options.port,
    sessionTimeoutMs: options.sessionTimeoutMs,
    configYaml: options.configYaml,
  });
  const nodes = net.nodes.map((host, i) => {
    const peers = net.nodes
      .filter((other) => other !== host)
      .map((other) => `${other.address}:${options.port}`);
    const flags = [
      '--vip',
      vip,
      '--vip-prefix',
      '24',
      '--vip-iface',
      'eth0',
      '--health-peers',
      peers.join(','),
    ];
    return new NetnsTaskd({ ...nodeOptions(host, `n${i + 1}`), flags });
  });
  const client = new NetnsHttp(net, net.client.ns);
  const everyNamespace = [...net.nodes.map((host) => host.ns), net.client.ns];

  const cluster: VipCluster = {
    net,
    name,
    vip,
    nodes,
    client,
    vipHolders: () => holdersOf(net, everyNamespace, vip),
    viaVip: async (timeoutMs = 1_000) => {
      const reply = await client.request({ url: `http://${vip}:${options.port}/v1/cluster`, timeoutMs });
      return reply.ok && reply.status === 200 ? { view: reply.body as ClusterView, at: reply.at } : undefined;
    },
    expectVipServedBy: async (node, what, staleCopyIn) => {
      const holders = [node.ns, ...(staleCopyIn === undefined ? [] : [staleCopyIn.ns])].sort().join();
      await waitFor(async () => (await cluster.vipHolders()).sort().join() === holders, {
        what: `${what}: the VIP in ${holders} only`,
        timeoutMs: 30_000,
        intervalMs: 200,
      });
      return waitFor(
        async () => {
          const view = (await cluster.viaVip())?.view;
          const self = node.nodeId;
          return view?.node === self && view.leader === self && view.vipHolder === self && view;
        },
        {
          what: `${what}: the client to reach ${node.nodeId}, holding the VIP`,
          timeoutMs: 30_000,
          intervalMs: 200,
        },
      );
    },
    firstServedBesides: (old, what) =>
      waitFor(
        async () => {
          const reached = await cluster.viaVip(500);
          const view = reached?.view;
          return view !== undefined && view.node !== old.nodeId && view.leader === view.node && reached;
        },
        { what, timeoutMs: 60_000, intervalMs: 20 },
      ),
    expectVipServedByALeader: async (what) => {
      const view = await waitFor(
        async () => {
          const seen = (await cluster.viaVip())?.view;
          return seen?.leader === seen?.node && seen?.vipHolder === seen?.node && seen;
        },
        { what: `${what}: the client to reach a leader holding the VIP`, timeoutMs: 30_000, intervalMs: 200 },
      );
      const node = nodes.find((candidate) => candidate.nodeId === view.node);
      if (node === undefined)
        throw new Error(`${what}: the VIP is served by ${view.node}, not a cluster node`);
      await cluster.expectVipServedBy(node, what);
      return node;
    },
    currentLeader: (among = nodes) =>
      waitFor(() => leaderAmong(among), { what: 'a leader', timeoutMs: 30_000, intervalMs: 200 }),
    healthyMembers: async () => {
      const view = await nodes.find((node) => node.running)?.view();
      return view?.members.filter((member) => member.health === 'healthy').length ?? 0;
    },
    leadershipChanges: async (since) => {
      const types = ['LeadershipResigned', 'LeadershipAcquired', 'LeadershipLost'];
      const perNode = await Promise.all(
        nodes.map(async (node) =>
          (await node.journal())
            .filter((event) => types.includes(event.type) && event.meta.at >= since)
            .map((event) => ({
              at: event.meta.at,
              line: `+${event.meta.at - since} ms ${node.nodeId} ${event.type} ${JSON.stringify(event.data)}`,
            })),
        ),
      );
      return perNode
        .flat()
        .sort((a, b) => a.at - b.at)
        .map((entry) => entry.line);
    },
    runNoopTasks: async (node, count) => {
      const tasks = Array.from({ length: count }, (_, i) => ({ type: 'noop', payload: { i } }));
      const reply = await node.post('/v1/tasks:batch', { tasks });
      expect(reply.ok && reply.status, JSON.stringify(reply)).toBe(201);
      const body = (reply.ok ? reply.body : {}) as { results?: { task: { taskId: string } }[] };
      const ids = (body.results ?? []).map((result) => result.task.taskId);
      expect(ids).toHaveLength(count);
      await waitFor(
        async () => {
          const states = await Promise.all(
            ids.map(async (id) => {
              const reply = await node.http.getJson<{ task: { status: string } }>(
                node.url(`/v1/tasks/${id}`),
              );
              return reply?.task.status;
            }),
          );
          return states.every((status) => status === 'succeeded');
        },
        {
          what: `${count} noop tasks submitted to ${node.nodeId} to succeed`,
          timeoutMs: 60_000,
          intervalMs: 250,
        },
      );
    },
    extraNode: ({ nodeId, cluster: clusterName, port, flags }) =>
      new NetnsTaskd({
        ...nodeOptions(net.nodes[0]!, nodeId),
        cluster: clusterName,
        port,
        ...(flags === undefined ? {} : { flags }),
      }),
  };
  return cluster;
}
