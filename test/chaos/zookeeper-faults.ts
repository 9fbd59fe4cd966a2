/**
 * Faults done to the ZooKeeper ensemble: a server paused (SIGSTOP), the server a node is connected
 * to isolated, a rolling restart, the loss of the quorum for longer than a session.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ZooKeeperServer } from '../../src/infra/zookeeper-server/index.ts';
import { waitFor } from '../support/wait-for.ts';
import type { FaultContext } from './fault-context.ts';
import { type Fault, type FaultRecord, openRecord } from './fault-kinds.ts';
import { dataDirOf, lastServer, readNodeJournal } from './node-journals.ts';

type FaultOf<K extends Fault['kind']> = Extract<Fault, { kind: K }>;

/** SIGSTOP of one server for a while. Pausing the ensemble's leader stops every server serving. */
export async function pauseZooKeeperServer(
  context: FaultContext,
  fault: FaultOf<'pause-zk-server'>,
): Promise<FaultRecord> {
  const { servers } = context.cluster.zookeeper;
  const server = servers[(fault.server - 1) % servers.length] as ZooKeeperServer;
  const leads = (await server.mode()) === 'leader';
  const record = openRecord(fault, `zk${server.id}${leads ? ' (ensemble leader)' : ''}`);
  // Without its leader the ensemble serves no one until it elects another: sessions may be suspected.
  if (leads) record.restartsAllowed['*'] = 1;
  await server.pause();
  try {
    await sleep(fault.durationMs);
  } finally {
    await server.resume();
  }
  record.endedAt = Date.now();
  return record;
}

/** SIGSTOP of the follower a node is connected to; the node must move to another server in time. */
export async function isolateServerOfNode(
  context: FaultContext,
  fault: FaultOf<'isolate-zk-of-node'>,
): Promise<FaultRecord> {
  const { cluster } = context;
  // By port: a node in a namespace reaches each server through a relay on another address.
  const followers = new Map<string, ZooKeeperServer>();
  for (const server of cluster.zookeeper.servers) {
    if ((await server.mode()) === 'follower') followers.set(String(server.clientPort), server);
  }
  const onFollower: { node: string; server: ZooKeeperServer; seen: string }[] = [];
  for (const node of cluster.live()) {
    const seen = lastServer(await readNodeJournal(node.id, dataDirOf(node.dir)));
    const server = followers.get(serverPortOf(context, seen));
    if (server !== undefined && seen !== undefined) onFollower.push({ node: node.id, server, seen });
  }
  const chosen = onFollower.length === 0 ? undefined : context.random.pick(onFollower);
  const server = chosen?.server ?? [...followers.values()][0];
  if (server === undefined) throw new Error('no ZooKeeper follower to isolate');
  const record = openRecord(fault, `zk${server.id} (${chosen?.node ?? 'no node'} connected to it)`);
  if (chosen === undefined) record.notes.push('no node was connected to a follower: paused one anyway');
  await server.pause();
  try {
    if (chosen !== undefined) {
      const node = cluster.node(chosen.node);
      await waitFor(
        async () => {
          const now = lastServer(await readNodeJournal(node.id, dataDirOf(node.dir)));
          return now !== undefined && serverPortOf(context, now) !== String(server.clientPort);
        },
        { what: `${chosen.node} to connect to another server`, timeoutMs: 20_000, intervalMs: 100 },
      ).then(
        () => record.notes.push(`${chosen.node} moved after ${Date.now() - record.startedAt} ms`),
        (error: Error) => record.notes.push(error.message),
      );
      // As the node names it: the check compares the node's own addresses.
      record.expectations.push({ kind: 'moved-server', node: chosen.node, from: chosen.seen });
    }
    await sleep(Math.max(0, fault.durationMs - (Date.now() - record.startedAt)));
  } finally {
    await server.resume();
  }
  record.endedAt = Date.now();
  return record;
}

/** The client port of the server behind the address a node's journal names ('' for none). */
function serverPortOf(context: FaultContext, seen: string | undefined): string {
  if (seen === undefined) return '';
  const port = Number(seen.slice(seen.lastIndexOf(':') + 1));
  return String(context.cluster.stage.serverPortOf?.(port) ?? port);
}

/** Every server stopped and started again in turn, each serving before the next goes. */
export async function rollingRestart(
  context: FaultContext,
  fault: FaultOf<'rolling-restart'>,
): Promise<FaultRecord> {
  const record = openRecord(fault, 'zk1..zk3');
  // Restarting the ensemble's leader leaves it serving no one until a new leader is elected.
  record.restartsAllowed['*'] = 1;
  for (const server of context.cluster.zookeeper.servers) {
    const mode = await server.mode();
    await server.restart();
    record.notes.push(
      `zk${server.id} (${mode ?? 'not serving'}) back after ${Date.now() - record.startedAt} ms`,
    );
  }
  record.endedAt = Date.now();
  return record;
}

/** A majority stopped for `durationMs`, then the whole ensemble started again. */
export async function loseQuorum(context: FaultContext, fault: FaultOf<'quorum-loss'>): Promise<FaultRecord> {
  const { zookeeper } = context.cluster;
  const record = openRecord(fault, 'a majority of the ensemble');
  record.restartsAllowed['*'] = 2;
  const stopped = await zookeeper.stopQuorum();
  record.notes.push(`stopped zk${stopped.map((s) => s.id).join(', zk')}`);
  try {
    await sleep(fault.durationMs);
  } finally {
    await zookeeper.startQuorum();
  }
  record.endedAt = Date.now();
  return record;
}
