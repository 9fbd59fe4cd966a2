/**
 * What the demo starts and must stop: a ZooKeeper ensemble and taskd node processes, all with their
 * folders under the demo's folder. `shutdown` is the one cleanup, safe to call more than once and
 * after a partial start; `killAllSync` is the last resort of an 'exit' hook.
 */
import { join } from 'node:path';
import { startZooKeeper, type ZooKeeperCluster } from '../../infra/zookeeper-server/index.ts';
import { freeLoopbackPorts } from '../../infra/zookeeper-server/loopback-ports.ts';
import { type NodeExit, NodeProcess } from '../local-cluster/node-process.ts';
import { clusterOf } from './node-api.ts';

export interface DemoClusterOptions {
  /** The demo's folder: every node's data, journal and log live under it. */
  readonly dir: string;
  readonly cluster: string;
  readonly sessionTimeoutMs: number;
  readonly capacity: number;
}

/** A leader as its own API reports itself. */
export interface LeaderSighting {
  readonly node: NodeProcess;
  readonly epoch: number;
}

/** The ZooKeeper ensemble and the taskd processes of one demo run. */
export class DemoCluster {
  zookeeper: ZooKeeperCluster | undefined;
  readonly nodes: NodeProcess[] = [];
  /** How each node that ended ended, by node id. */
  readonly exits = new Map<string, NodeExit>();
  private stopped: Promise<void> | undefined;

  constructor(private readonly options: DemoClusterOptions) {}

  /** Starts a 3-server ensemble on loopback and waits (at most `timeoutMs`) until it serves. */
  async startZooKeeper(timeoutMs: number): Promise<ZooKeeperCluster> {
    this.zookeeper = await startZooKeeper({
      servers: 3,
      baseDir: this.options.dir,
      startTimeoutMs: timeoutMs,
    });
    return this.zookeeper;
  }

  /** Starts `count` nodes n1…nN on free loopback ports (they join in the background). */
  async startNodes(count: number): Promise<NodeProcess[]> {
    const zk = this.zookeeper?.connectString;
    if (zk === undefined) throw new Error('start ZooKeeper before the nodes');
    const ports = await freeLoopbackPorts(count);
    for (const [i, port] of ports.entries()) {
      const nodeId = `n${i + 1}`;
      const node = new NodeProcess({
        nodeId,
        cluster: this.options.cluster,
        zk,
        dir: join(this.options.dir, nodeId),
        port,
        sessionTimeoutMs: this.options.sessionTimeoutMs,
        logBackend: 'zookeeper',
        capacity: this.options.capacity,
      });
      void node.exited.then((exit) => this.exits.set(nodeId, exit));
      this.nodes.push(node);
    }
    return this.nodes;
  }

  /** Nodes whose process still runs. */
  running(): NodeProcess[] {
    return this.nodes.filter((node) => node.running);
  }

  /** The running node that says it leads, with its epoch (undefined while none does). */
  async leader(among: readonly NodeProcess[] = this.running()): Promise<LeaderSighting | undefined> {
    for (const node of among.filter((n) => n.running)) {
      const view = await clusterOf(node);
      if (view?.leader === node.options.nodeId && view.epoch !== null) return { node, epoch: view.epoch };
    }
    return undefined;
  }

  /** SIGTERM to every running node; SIGKILL to those still running after `graceMs`. */
  async stopNodes(graceMs: number): Promise<Map<NodeProcess, NodeExit>> {
    const running = this.running();
    const exits = await Promise.all(running.map((node) => node.stop(graceMs)));
    return new Map(running.map((node, i) => [node, exits[i] as NodeExit]));
  }

  /** Stops ZooKeeper (SIGTERM, then SIGKILL) and removes its folder. */
  async stopZooKeeper(): Promise<void> {
    const zookeeper = this.zookeeper;
    if (zookeeper === undefined) return;
    await Promise.allSettled(zookeeper.servers.map((server) => server.stop()));
    await zookeeper.destroy();
  }

  /** Stops everything still running, nodes first (they leave ZooKeeper), then ZooKeeper. Idempotent. */
  shutdown(graceMs: number): Promise<void> {
    this.stopped ??= (async () => {
      await this.stopNodes(graceMs).catch(() => undefined);
      await this.stopZooKeeper().catch(() => undefined);
    })();
    return this.stopped;
  }

  /** Kills every child at once; usable in an 'exit' hook (ZooKeeper's own hook removes its folder). */
  killAllSync(): void {
    for (const node of this.running()) node.signal('SIGKILL');
    for (const server of this.zookeeper?.servers ?? []) {
      if (server.pid !== undefined) {
        try {
          process.kill(server.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
  }
}
