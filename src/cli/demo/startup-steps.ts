/**
 * Steps 1 and 2: a local ZooKeeper ensemble, then three taskd processes that form a cluster.
 */
import {
  assertNoUnexpectedExit,
  type DemoContext,
  NODE_COUNT,
  SESSION_TIMEOUT_MS,
  seconds,
} from './demo-context.ts';
import { clusterOf } from './node-api.ts';
import { waitUntil } from './wait-until.ts';

/** Step 1: a 3-server ZooKeeper ensemble on loopback. */
export async function startZooKeeperStep(ctx: DemoContext): Promise<void> {
  ctx.output.step(1, 'Starting a local ZooKeeper ensemble of 3 servers...');
  const started = Date.now();
  const zookeeper = await ctx.cluster.startZooKeeper(ctx.bound(60_000));
  for (const server of zookeeper.servers) {
    ctx.output.detail(`server ${server.id}: ${server.connectString} (java pid ${server.pid})`);
  }
  ctx.output.detail(
    `serving after ${seconds(Date.now() - started)}; connect string ${zookeeper.connectString}`,
  );
}

/** Step 2: three taskd processes; waits until one leads and all are members. */
export async function startNodesStep(ctx: DemoContext): Promise<void> {
  ctx.output.step(
    2,
    `Starting ${NODE_COUNT} taskd nodes (task log in ZooKeeper, session timeout ${seconds(SESSION_TIMEOUT_MS)})...`,
  );
  const started = Date.now();
  const nodes = await ctx.cluster.startNodes(NODE_COUNT);
  for (const node of nodes) {
    ctx.output.detail(
      `${node.options.nodeId}: ${node.endpoint} (taskd pid ${node.pid}), folder ${node.options.dir}`,
    );
  }
  const formed = await waitUntil(
    async () => {
      assertNoUnexpectedExit(ctx);
      const leader = await ctx.cluster.leader();
      const view = leader && (await clusterOf(leader.node));
      if (view?.members.length !== NODE_COUNT) return undefined;
      // Members and a leader are not enough to take work: each node's task log must be open and caught up.
      const ready = await Promise.all(nodes.map((node) => node.get('/readyz')));
      return ready.every((answer) => answer !== undefined) ? view : undefined;
    },
    {
      what: `${NODE_COUNT} members, a leader, and every node ready (GET /readyz)`,
      timeoutMs: ctx.bound(60_000),
      signal: ctx.signal,
    },
  );
  const members = formed.members.map((m) => `${m.node} (incarnation ${m.incarnation})`).join(', ');
  ctx.output.detail(`cluster "${ctx.clusterName}" formed after ${seconds(Date.now() - started)}:`);
  ctx.output.detail(`leader ${formed.leader}, epoch ${formed.epoch}, members ${members}`);
}
