/**
 * taskd clusters for the benchmarks: real `taskd start` processes (NodeProcess) on this machine,
 * driven over their HTTP API like any client, read back from the task log and the node journals.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { NodeProcess, type NodeProcessOptions } from '../../src/cli/local-cluster/node-process.ts';
import type { DomainEvent } from '../../src/domain/event.ts';
import { readJournal } from '../../src/infra/journal/read-journal.ts';
import { openFileEventLog } from '../../src/infra/log/file/file-event-log.ts';
import type { LoggedEvent } from '../../src/infra/log/port.ts';
import { readWholeLog } from '../../src/infra/log/read-whole-log.ts';
import { openZooKeeperEventLog } from '../../src/infra/log/zookeeper/zookeeper-event-log.ts';
import { freeLoopbackPorts } from '../../src/infra/zookeeper-server/loopback-ports.ts';
import { pollUntil } from '../../src/infra/zookeeper-server/poll.ts';
import type { ClusterView } from '../../src/streams/task-service.ts';
import type { Cleanup } from './cleanup.ts';

export interface ClusterOptions {
  readonly zk: string;
  readonly size: number;
  readonly sessionTimeoutMs?: number;
  readonly logBackend?: 'zookeeper' | 'file';
  readonly capacity?: number;
  readonly extraArgs?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

export interface BenchCluster {
  readonly name: string;
  readonly zk: string;
  readonly backend: 'zookeeper' | 'file';
  readonly nodes: readonly NodeProcess[];
}

let clusters = 0;

/**
 * Starts `size` nodes of a fresh cluster; resolves once one leads and every node is a ready member.
 * BENCH_TASKD_PREFIX (space-separated argv) runs each node through a wrapper that must exec its
 * arguments, e.g. a script doing `exec "$1" --cpu-prof --cpu-prof-dir=DIR "${@:2}"` to profile the
 * nodes (Node refuses --cpu-prof in NODE_OPTIONS).
 */
export async function startCluster(cleanup: Cleanup, options: ClusterOptions): Promise<BenchCluster> {
  clusters += 1;
  const name = `bench${clusters}${Math.random().toString(36).slice(2, 7)}`;
  const root = cleanup.tempDir(`taskd-${name}-`);
  const ports = await freeLoopbackPorts(options.size);
  const nodes = ports.map((port, i) => {
    const nodeOptions: NodeProcessOptions = {
      nodeId: `n${i + 1}`,
      cluster: name,
      zk: options.zk,
      dir: join(root, `n${i + 1}`),
      port,
      sessionTimeoutMs: options.sessionTimeoutMs ?? 2_000,
      logBackend: options.logBackend ?? 'zookeeper',
      capacity: options.capacity ?? 4,
      extraArgs: ['--log-level', 'warn', ...(options.extraArgs ?? [])],
      ...(options.env === undefined ? {} : { env: options.env }),
      ...(process.env.BENCH_TASKD_PREFIX === undefined
        ? {}
        : { commandPrefix: process.env.BENCH_TASKD_PREFIX.split(' ') }),
    };
    return new NodeProcess(nodeOptions);
  });
  cleanup.add(() => Promise.all(nodes.map((node) => node.stop(10_000))));
  await pollUntil(
    async () => {
      if (nodes.some((node) => !node.running)) throw new Error(`a node of ${name} exited while starting`);
      const view = await clusterView(nodes[0]!);
      if (view?.members.length !== options.size || (await leaderOf(nodes)) === undefined) return false;
      // Every node takes submissions: each must have its task log open and caught up, or the first
      // batches sent to it are refused and a run never ends.
      const ready = await Promise.all(nodes.map((node) => node.get<{ ready: boolean }>('/readyz')));
      return ready.every((r) => r?.ready === true);
    },
    {
      timeoutMs: 60_000,
      intervalMs: 200,
      what: `${options.size} ready members and a leader in ${name}`,
    },
  );
  return { name, zk: options.zk, backend: options.logBackend ?? 'zookeeper', nodes };
}

/** GET /v1/cluster of one node. */
export function clusterView(node: NodeProcess): Promise<ClusterView | undefined> {
  return node.get<ClusterView>('/v1/cluster');
}

/** The running node that says it leads, if any. */
export async function leaderOf(nodes: readonly NodeProcess[]): Promise<NodeProcess | undefined> {
  for (const node of nodes.filter((n) => n.running)) {
    const view = await clusterView(node);
    if (view !== undefined && view.leader === node.options.nodeId) return node;
  }
  return undefined;
}

/** POSTs JSON and returns the parsed reply; throws on a non-2xx status or after `timeoutMs`. */
export async function postJson<T>(
  node: NodeProcess,
  path: string,
  body: unknown,
  timeoutMs = 60_000,
): Promise<T> {
  // undici's request, not fetch: the load generator shares the machine with what it measures, and
  // fetch costs it several times the CPU per request.
  const response = await request(`${node.endpoint}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const reply = (await response.body.json().catch(() => undefined)) as T;
  if (response.statusCode < 200 || response.statusCode >= 300) {
    throw new Error(`POST ${path}: ${response.statusCode} ${JSON.stringify(reply)}`);
  }
  return reply;
}

/** Submits one batch through POST /v1/tasks:batch; returns the task ids. */
export async function submitBatch(node: NodeProcess, tasks: readonly unknown[]): Promise<string[]> {
  const reply = await postJson<{ results: { task: { taskId: string } }[] }>(node, '/v1/tasks:batch', {
    tasks,
  });
  return reply.results.map((r) => r.task.taskId);
}

/** Tasks by status as `node` folds them (GET /v1/cluster). */
export async function taskCounts(node: NodeProcess): Promise<ClusterView['tasks'] | undefined> {
  return (await clusterView(node))?.tasks;
}

/** Terminal tasks in a count. */
export function finished(tasks: ClusterView['tasks']): number {
  return tasks.succeeded + tasks.failed + tasks.cancelled + tasks.timed_out;
}

/** The whole task log of a cluster: from ZooKeeper, or from its first node's file (read-only). */
export async function readTaskLog(cluster: BenchCluster): Promise<LoggedEvent[]> {
  const log =
    cluster.backend === 'file'
      ? await openFileEventLog({ path: join(cluster.nodes[0]!.dataDir, 'tasks.log.jsonl'), readOnly: true })
      : await openZooKeeperEventLog({
          cluster: cluster.name,
          connection: { connectString: cluster.zk, sessionTimeoutMs: 10_000, requestTimeoutMs: 10_000 },
        });
  return readWholeLog(log);
}

/** Every entry of one node's journal. */
export async function readNodeJournal(node: NodeProcess): Promise<DomainEvent[]> {
  const events: DomainEvent[] = [];
  for await (const item of readJournal(node.dataDir)) if (item.kind === 'entry') events.push(item.event);
  return events;
}

/** Resident set size of a process in bytes (VmRSS), from /proc. */
export function rssBytes(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  return Number(kb) * 1024;
}

/** The first sample of each named metric in ONE scrape of a node's GET /metrics (scrapes reset some). */
export async function metricValues(
  node: NodeProcess,
  names: readonly string[],
): Promise<Record<string, number | undefined>> {
  const values: Record<string, number | undefined> = {};
  try {
    const response = await fetch(`${node.endpoint}/metrics`, { signal: AbortSignal.timeout(5_000) });
    const lines = (await response.text()).split('\n');
    for (const name of names) {
      const line = lines.find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
      values[name] = line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  } catch {
    // A node that does not answer has no values.
  }
  return values;
}
