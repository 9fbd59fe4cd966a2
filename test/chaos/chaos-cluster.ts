/**
 * Three taskd processes (zookeeper task log, 2 s sessions) on the ensemble of a stage (the host, a
 * namespace each, or one namespace for all: chaos-stage.ts), each in its own folder under one root;
 * and the one notion of "stable" every step waits for: all nodes run, are connected, and agree on one
 * leader and on the full member list.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ZooKeeperCluster } from '../../src/infra/zookeeper-server/index.ts';
import { freeLoopbackPorts } from '../../src/infra/zookeeper-server/loopback-ports.ts';
import type { ClusterView } from '../../src/streams/task-service.ts';
import { waitFor } from '../support/wait-for.ts';
import { ChaosNode } from './chaos-node.ts';
import { SESSION_TIMEOUT_MS, writeChaosConfig } from './chaos-settings.ts';
import type { ChaosStage } from './chaos-stage.ts';
import { dataDirOf, leadsByJournal, readNodeJournal } from './node-journals.ts';

export interface ChaosClusterOptions {
  /** Where the nodes run and which ensemble they use. */
  readonly stage: ChaosStage;
  readonly size?: number;
  /** Folder under which the cluster makes its own; default os.tmpdir(). */
  readonly baseDir?: string;
}

/** Every cluster started and not yet stopped: what a timed-out test or an interrupted run leaves. */
const unstopped = new Set<ChaosCluster>();

/** SIGKILL to every node of every cluster not stopped yet (a test's last resort after a timeout). */
export function killUnstopped(): void {
  for (const cluster of unstopped) for (const node of cluster.nodes) node.current.signal('SIGKILL');
  unstopped.clear();
}

export class ChaosCluster {
  private constructor(
    readonly name: string,
    readonly root: string,
    readonly stage: ChaosStage,
    private readonly started: ChaosNode[],
  ) {}

  get nodes(): readonly ChaosNode[] {
    return this.started;
  }

  get zookeeper(): ZooKeeperCluster {
    return this.stage.zookeeper;
  }

  /**
   * Starts the nodes of a fresh cluster (a new name: nothing of an earlier run is seen) and waits
   * until stable; if it never is, kills what it started and throws.
   */
  static async start(options: ChaosClusterOptions): Promise<ChaosCluster> {
    const name = `chaos${Math.random().toString(36).slice(2, 8)}`;
    const root = mkdtempSync(join(options.baseDir ?? tmpdir(), `taskd-${name}-`));
    const config = writeChaosConfig(root);
    const size = options.size ?? 3;
    const ports = await freeLoopbackPorts(size);
    const nodes: ChaosNode[] = [];
    const cluster = new ChaosCluster(name, root, options.stage, nodes);
    unstopped.add(cluster);
    try {
      await cluster.startNodes(ports, config);
      await Promise.race([cluster.waitStable('the cluster to start', 60_000), cluster.firstExit()]);
    } catch (error) {
      await Promise.all(nodes.map((node) => node.kill()));
      unstopped.delete(cluster);
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${message} (folder kept: ${root})`, { cause: error });
    }
    return cluster;
  }

  /** Rejects, with the end of its log, when a node's first process ends on its own (a crash at start). */
  private firstExit(): Promise<never> {
    return Promise.race(
      this.nodes.map(async (node) => {
        const exit = await node.current.exited;
        const log = readFileSync(node.current.logPath, 'utf8').trim().split('\n').slice(-8).join('\n');
        throw new Error(`${node.id} exited at start ${JSON.stringify(exit)}:\n${log}`);
      }),
    );
  }

  /** One node per port, each placed by the stage before its first start. */
  private async startNodes(ports: readonly number[], config: string): Promise<void> {
    for (const [i, port] of ports.entries()) {
      const nodeId = `n${i + 1}`;
      const dir = join(this.root, nodeId);
      mkdirSync(dir, { recursive: true });
      const placement = await this.stage.prepareNode(nodeId, i, dir, port);
      this.started.push(
        new ChaosNode({
          nodeId,
          cluster: this.name,
          zk: placement.zk,
          dir,
          port,
          sessionTimeoutMs: SESSION_TIMEOUT_MS,
          logBackend: 'zookeeper',
          capacity: 3,
          extraArgs: ['--config', config, ...(placement.flags ?? [])],
          ...(placement.commandPrefix === undefined ? {} : { commandPrefix: placement.commandPrefix }),
        }),
      );
    }
  }

  node(id: string): ChaosNode {
    const node = this.nodes.find((n) => n.id === id);
    if (node === undefined) throw new Error(`no node ${id}`);
    return node;
  }

  /** The nodes whose process runs and is not paused. */
  live(): ChaosNode[] {
    return this.nodes.filter((n) => n.running && !n.isPaused);
  }

  /**
   * The live node that leads by its API and by its journal (its session may be suspended): the API
   * of a node started again after kill -9 names it leader while its dead session's znode lives.
   */
  async leader(): Promise<ChaosNode | undefined> {
    for (const node of this.live()) {
      const view = await node.get<ClusterView>('/v1/cluster');
      if (view?.leader === node.id && leadsByJournal(await readNodeJournal(node.id, dataDirOf(node.dir))))
        return node;
    }
    return undefined;
  }

  /** Waits for a leader among the live nodes. */
  async waitLeader(what = 'a leader', timeoutMs = 30_000): Promise<ChaosNode> {
    return waitFor(() => this.leader(), { what, timeoutMs, intervalMs: 100 });
  }

  /**
   * Waits until every node runs, is connected, sees every node as a member and one shared leader.
   * The timeout names what each node saw last.
   */
  async waitStable(what: string, timeoutMs = 30_000): Promise<ClusterView[]> {
    let last: string[] = [];
    return waitFor(
      async () => {
        if (this.nodes.some((n) => !n.running || n.isPaused)) return undefined;
        const views = await Promise.all(this.nodes.map((n) => n.get<ClusterView>('/v1/cluster')));
        last = views.map((v, i) =>
          v === undefined
            ? `${this.nodes[i]?.id}: no answer`
            : `${v.node}: ${v.session}, leader ${v.leader ?? 'none'}, ${v.members.length} members`,
        );
        const leader = views[0]?.leader;
        const stable = views.every(
          (v) =>
            v !== undefined &&
            v.session === 'connected' &&
            v.leader !== null &&
            v.leader === leader &&
            v.members.length === this.nodes.length,
        );
        if (!stable || leader === undefined || leader === null) return undefined;
        const leading = this.node(leader);
        return leadsByJournal(await readNodeJournal(leader, dataDirOf(leading.dir)))
          ? (views as ClusterView[])
          : undefined;
      },
      { what: `${what} (all nodes connected, members and one leader)`, timeoutMs, intervalMs: 100 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}; last seen: ${last.join('; ')}`);
    });
  }

  /** SIGTERM to every node (each ends with its own teardown); resumes paused ones first. */
  async stopAll(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop(30_000)));
    unstopped.delete(this);
  }
}
