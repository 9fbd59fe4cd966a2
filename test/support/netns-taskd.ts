/**
 * A real taskd process inside a test namespace, with an HTTP agent beside it that reaches its API on
 * the namespace's loopback (which works whatever happens to the test subnet), and its journal.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodeProcess } from '../../src/cli/local-cluster/node-process.ts';
import type { DomainEvent } from '../../src/domain/event.ts';
import { readJournal } from '../../src/infra/journal/read-journal.ts';
import type { ClusterView } from '../../src/streams/task-service.ts';
import type { NetnsHost, NetnsTopology } from './netns.ts';
import { type HttpReply, NetnsHttp } from './netns-http.ts';

export interface NetnsTaskdOptions {
  readonly topology: NetnsTopology;
  readonly host: NetnsHost;
  readonly nodeId: string;
  readonly cluster: string;
  /** As seen from inside the namespace. */
  readonly zk: string;
  /** The node's folder: data directory, log file and config file. */
  readonly dir: string;
  /** The API port; it listens on 0.0.0.0, so on the node's address, the VIP and loopback. */
  readonly port: number;
  readonly sessionTimeoutMs: number;
  /** The text of the node's `--config` file. */
  readonly configYaml: string;
  /** More flags for `taskd start`. */
  readonly flags?: readonly string[];
}

/** One taskd node in its namespace; start() may be called again after it exited (same id, same data). */
export class NetnsTaskd {
  readonly nodeId: string;
  readonly ns: string;
  readonly http: NetnsHttp;
  private current: NodeProcess | undefined;

  constructor(private readonly options: NetnsTaskdOptions) {
    this.nodeId = options.nodeId;
    this.ns = options.host.ns;
    this.http = new NetnsHttp(options.topology, options.host.ns);
  }

  /** The process of the latest start(). */
  get process(): NodeProcess {
    if (this.current === undefined) throw new Error(`${this.nodeId} was never started`);
    return this.current;
  }

  get running(): boolean {
    return this.current?.running === true;
  }

  get dataDir(): string {
    return join(this.options.dir, 'data');
  }

  /** Starts `taskd start` inside the namespace (`ip netns exec` execs it: signals reach taskd). */
  start(): NodeProcess {
    if (this.current?.running) throw new Error(`${this.nodeId} is already running`);
    const { dir, configYaml, port } = this.options;
    mkdirSync(dir, { recursive: true });
    const configPath = join(dir, 'taskd.yaml');
    writeFileSync(configPath, configYaml);
    this.current = new NodeProcess({
      nodeId: this.nodeId,
      cluster: this.options.cluster,
      zk: this.options.zk,
      dir,
      port,
      sessionTimeoutMs: this.options.sessionTimeoutMs,
      commandPrefix: ['ip', 'netns', 'exec', this.ns],
      extraArgs: ['--config', configPath, '--listen', `0.0.0.0:${port}`, ...(this.options.flags ?? [])],
    });
    return this.current;
  }

  /** `http://127.0.0.1:PORT/path`, as the agent inside the namespace reaches it. */
  url(path: string): string {
    return `http://127.0.0.1:${this.options.port}${path}`;
  }

  /** This node's /v1/cluster; undefined when it does not answer. */
  view(): Promise<ClusterView | undefined> {
    return this.running
      ? this.http.getJson<ClusterView>(this.url('/v1/cluster'))
      : Promise.resolve(undefined);
  }

  post(path: string, body: unknown): Promise<HttpReply> {
    return this.http.request({ method: 'POST', url: this.url(path), body, timeoutMs: 10_000 });
  }

  /** Every event of the node's journal so far, oldest first (lines that cannot be read are skipped). */
  async journal(): Promise<DomainEvent[]> {
    const events: DomainEvent[] = [];
    for await (const item of readJournal(this.dataDir)) if (item.kind === 'entry') events.push(item.event);
    return events;
  }

  /** SIGKILL, waiting for the exit. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.process.signal('SIGKILL');
    await this.process.exited;
  }
}

/** The node that says it leads (its own view), with that view. */
export async function leaderAmong(
  nodes: readonly NetnsTaskd[],
): Promise<{ node: NetnsTaskd; view: ClusterView } | undefined> {
  for (const node of nodes) {
    const view = await node.view();
    if (view !== undefined && view.leader === node.nodeId) return { node, view };
  }
  return undefined;
}

/** The namespaces among `namespaces` that have `address` on eth0. */
export async function holdersOf(
  topology: NetnsTopology,
  namespaces: readonly string[],
  address: string,
): Promise<string[]> {
  const holds = await Promise.all(
    namespaces.map(async (ns) => (await topology.addrsOf(ns)).some((cidr) => cidr.startsWith(`${address}/`))),
  );
  return namespaces.filter((_, i) => holds[i]);
}
