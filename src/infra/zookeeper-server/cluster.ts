import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findZooKeeperInstall, type ZooKeeperInstall } from './install.ts';
import { freeLoopbackPorts } from './loopback-ports.ts';
import { pollUntil } from './poll.ts';
import { ClusterRecord } from './process-registry.ts';
import { ZooKeeperServer } from './server.ts';
import { type MemberPorts, renderZooCfg } from './zoo-cfg.ts';

export interface StartZooKeeperOptions {
  readonly servers: 1 | 3;
  /** Default 100 ms; the smallest session timeout allowed is two ticks. */
  readonly tickTimeMs?: number;
  /** Default 60 000 ms. */
  readonly maxSessionTimeoutMs?: number;
  /** Folder in which the cluster makes its own temporary folder; default os.tmpdir(). */
  readonly baseDir?: string;
  /** Bound on each server's start; default 60 000 ms (a loaded 2-core machine starts JVMs slowly). */
  readonly startTimeoutMs?: number;
  readonly install?: ZooKeeperInstall;
}

const PORT_ATTEMPTS = 3;

/** Starts a standalone server or a 3-server ensemble on loopback and waits until it serves. */
export async function startZooKeeper(options: StartZooKeeperOptions): Promise<ZooKeeperCluster> {
  const install = options.install ?? findZooKeeperInstall();
  for (let attempt = 1; ; attempt++) {
    const cluster = await ZooKeeperCluster.create(options, install);
    try {
      await cluster.startQuorum();
      return cluster;
    } catch (error) {
      await cluster.destroy();
      // Ports are free when chosen, but another process may take one before the JVM binds it.
      const portTaken = error instanceof Error && /Address already in use|BindException/.test(error.message);
      if (!portTaken || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

/** A standalone server or an ensemble, each server in its own folder under `root`. */
export class ZooKeeperCluster {
  readonly connectString: string;
  private destroyed = false;

  private constructor(
    readonly root: string,
    readonly servers: readonly ZooKeeperServer[],
    private readonly record: ClusterRecord,
  ) {
    this.connectString = servers.map((server) => server.connectString).join(',');
  }

  /** Picks ports and writes every server's folder and zoo.cfg; starts nothing. Use startZooKeeper. */
  static async create(options: StartZooKeeperOptions, install: ZooKeeperInstall): Promise<ZooKeeperCluster> {
    const size = options.servers;
    const ports = await freeLoopbackPorts(size === 1 ? 1 : 3 * size);
    const members: MemberPorts[] =
      size === 1
        ? []
        : Array.from({ length: size }, (_, i) => ({
            id: i + 1,
            clientPort: ports[3 * i]!,
            quorumPort: ports[3 * i + 1]!,
            electionPort: ports[3 * i + 2]!,
          }));
    const root = mkdtempSync(join(options.baseDir ?? tmpdir(), 'taskd-zk-'));
    const record = new ClusterRecord(root);
    const servers: ZooKeeperServer[] = [];
    const runningMembers = () => servers.filter((server) => server.isRunning).length;
    for (let id = 1; id <= size; id++) {
      const folder = join(root, `server-${id}`);
      const clientPort = members[id - 1]?.clientPort ?? ports[0]!;
      const dataDir = join(folder, 'data');
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(join(dataDir, 'myid'), `${id}\n`);
      const cfg = renderZooCfg({
        dataDir,
        clientPort,
        tickTimeMs: options.tickTimeMs ?? 100,
        maxSessionTimeoutMs: options.maxSessionTimeoutMs ?? 60_000,
        members,
      });
      writeFileSync(join(folder, 'zoo.cfg'), cfg);
      servers.push(
        new ZooKeeperServer({
          id,
          folder,
          clientPort,
          install,
          record,
          ensembleSize: size,
          runningMembers,
          ...(options.startTimeoutMs === undefined ? {} : { startTimeoutMs: options.startTimeoutMs }),
        }),
      );
    }
    return new ZooKeeperCluster(root, servers, record);
  }

  /** Stops a majority of the servers (highest ids first) and waits until no survivor serves. */
  async stopQuorum(): Promise<ZooKeeperServer[]> {
    const majority = Math.floor(this.servers.length / 2) + 1;
    const victims = [...this.servers].reverse().slice(0, majority);
    await Promise.all(victims.map((server) => server.stop()));
    const survivors = this.servers.filter((server) => server.isRunning);
    await pollUntil(async () => !(await Promise.all(survivors.map((s) => s.isServing()))).some(Boolean), {
      timeoutMs: 30_000,
      what: `servers ${survivors.map((s) => s.id).join(', ')} to stop serving once the quorum is gone`,
    });
    return victims;
  }

  /** Starts every server that is not running and waits until every server serves. */
  async startQuorum(): Promise<void> {
    // Together: an ensemble member only serves once a majority runs.
    await Promise.all(this.servers.map((server) => server.start()));
  }

  /** The server that leads the ensemble (or the standalone server), if any serves as such now. */
  async leader(): Promise<ZooKeeperServer | undefined> {
    const modes = await Promise.all(this.servers.map((server) => server.mode()));
    return this.servers.find((_, i) => modes[i] === 'leader' || modes[i] === 'standalone');
  }

  /** Kills every server (SIGKILL) and removes the cluster's folder. Idempotent. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    await Promise.allSettled(this.servers.map((server) => server.kill()));
    this.record.killAllSync();
    rmSync(this.root, { recursive: true, force: true });
    this.record.release();
  }
}
