/**
 * Real taskd processes against a real ZooKeeper, for end-to-end tests: start, find the leader, talk
 * to the API, read the task log as it is stored.
 */
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { NodeProcess, type NodeProcessOptions } from '../../src/cli/local-cluster/node-process.ts';
import type { ClusterView } from '../../src/streams/task-service.ts';
import { waitFor } from './wait-for.ts';

export { readTaskLog } from './task-log-reader.ts';

let nextPort = 27_000 + Math.floor(Math.random() * 2_000);
const everyNode: NodeProcess[] = [];
afterAll(async () => {
  await Promise.all(everyNode.map((n) => n.stop(10_000)));
});

export interface TestCluster {
  readonly name: string;
  readonly nodes: NodeProcess[];
  /** Starts one more node (or a node again, under the same id and folder). */
  add(nodeId: string, extra?: Partial<NodeProcessOptions>): NodeProcess;
}

/** Starts `size` nodes of a fresh cluster and waits until one leads and all are members. */
export async function startTestCluster(
  zk: string,
  size: number,
  options: Partial<NodeProcessOptions> = {},
): Promise<TestCluster> {
  const name = `e2e${Math.random().toString(36).slice(2, 8)}`;
  const root = mkdtempSync(join(tmpdir(), `taskd-${name}-`));
  const nodes: NodeProcess[] = [];
  const add = (nodeId: string, extra: Partial<NodeProcessOptions> = {}) => {
    const node = new NodeProcess({
      nodeId,
      cluster: name,
      zk,
      dir: join(root, nodeId),
      port: nextPort++,
      sessionTimeoutMs: 2_000,
      ...options,
      ...extra,
    });
    everyNode.push(node);
    nodes.push(node);
    return node;
  };
  for (let i = 1; i <= size; i++) add(`n${i}`);
  await waitFor(
    async () =>
      (await clusterView(nodes[0]!))?.members.length === size &&
      (await leaderOf(nodes)) !== undefined &&
      (await Promise.all(nodes.map((n) => n.get('/readyz')))).every((ready) => ready !== undefined),
    {
      what: `${size} members, a leader, and every node ready`,
      timeoutMs: 60_000,
    },
  );
  return { name, nodes, add };
}

export function clusterView(node: NodeProcess): Promise<ClusterView | undefined> {
  return node.get<ClusterView>('/v1/cluster');
}

/** The node that says it leads (its own view), if any. */
export async function leaderOf(nodes: readonly NodeProcess[]): Promise<NodeProcess | undefined> {
  for (const node of nodes.filter((n) => n.running)) {
    const view = await clusterView(node);
    if (view !== undefined && view.leader === node.options.nodeId) return node;
  }
  return undefined;
}

export interface TaskReply {
  readonly taskId: string;
  readonly status: string;
  readonly attempt: number;
  readonly assignment?: { readonly node: string; readonly epoch: number; readonly attempt: number };
}

/** POSTs JSON; returns status and body. */
export async function post(
  node: NodeProcess,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${node.endpoint}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined,
  };
}

/**
 * Sends the head of a POST whose Content-Length says `declaredBytes`, and no body; returns the
 * status and body of the answer. For a body over the limit: the server answers from the length
 * alone and then closes the connection (fastify does, as the client may send more), so a client
 * still writing a real oversized body can lose the answer to EPIPE, depending on timing.
 */
export function postDeclaringLength(node: NodeProcess, path: string, declaredBytes: number) {
  return new Promise<{ status: number; body: Record<string, unknown> | undefined }>((resolve, reject) => {
    const req = request(`${node.endpoint}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': declaredBytes },
    });
    req.on('error', reject);
    req.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () => {
        req.destroy();
        let body: Record<string, unknown> | undefined;
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          body = undefined;
        }
        resolve({ status: response.statusCode ?? 0, body });
      });
    });
    req.flushHeaders();
  });
}

/** Submits tasks in one batch; returns their ids. */
export async function submitBatch(node: NodeProcess, tasks: readonly unknown[]): Promise<string[]> {
  const reply = await post(node, '/v1/tasks:batch', { tasks });
  if (reply.status >= 300) throw new Error(`batch rejected: ${reply.status} ${JSON.stringify(reply.body)}`);
  return ((reply.body?.results ?? []) as { task: TaskReply }[]).map((r) => r.task.taskId);
}

/** Every task's state as `node` folds it. */
export async function tasksOn(node: NodeProcess): Promise<TaskReply[]> {
  return (await node.get<{ tasks: TaskReply[] }>('/v1/tasks?limit=1000'))?.tasks ?? [];
}

/** Waits until every id is in a terminal state on some running node; returns those tasks. */
export async function waitAllFinished(
  nodes: readonly NodeProcess[],
  ids: readonly string[],
  timeoutMs = 90_000,
): Promise<TaskReply[]> {
  const terminal = new Set(['succeeded', 'failed', 'cancelled', 'timed_out']);
  return waitFor(
    async () => {
      const node = nodes.find((n) => n.running);
      if (node === undefined) return undefined;
      const byId = new Map((await tasksOn(node)).map((t) => [t.taskId, t]));
      const all = ids.map((id) => byId.get(id));
      return all.every((t) => t !== undefined && terminal.has(t.status)) ? (all as TaskReply[]) : undefined;
    },
    { what: `${ids.length} tasks to finish`, timeoutMs },
  );
}
