/**
 * What the demo asks of a node's HTTP API: the cluster as it sees it, its tasks, submissions and
 * cancellations. Reads answer undefined when the node does not answer (it may just have been killed).
 */
import type { Task } from '../../domain/task/state.ts';
import type { ClusterView } from '../../streams/task-service.ts';
import type { NodeProcess } from '../local-cluster/node-process.ts';

const REQUEST_TIMEOUT_MS = 10_000;

/** The cluster as `node` sees it. */
export function clusterOf(node: NodeProcess): Promise<ClusterView | undefined> {
  return node.get<ClusterView>('/v1/cluster');
}

/** Every task as `node` folds them, oldest submission first. */
export async function tasksOf(node: NodeProcess): Promise<Task[] | undefined> {
  return (await node.get<{ tasks: Task[] }>('/v1/tasks?limit=1000'))?.tasks;
}

/** Submits tasks in one batch; returns the tasks the node created, in order. */
export async function submitBatch(node: NodeProcess, tasks: readonly unknown[]): Promise<Task[]> {
  const body = await postJson<{ results: { task: Task; created: boolean }[] }>(node, '/v1/tasks:batch', {
    tasks,
  });
  return body.results.map((r) => r.task);
}

/** Asks for a task's cancellation (202: the leader cancels it on its next tick). */
export async function requestCancel(node: NodeProcess, taskId: string, reason: string): Promise<Task> {
  const path = `/v1/tasks/${encodeURIComponent(taskId)}/cancel`;
  return (await postJson<{ task: Task }>(node, path, { reason })).task;
}

async function postJson<T>(node: NodeProcess, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${node.endpoint}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`POST ${node.endpoint}${path} answered ${response.status}: ${text.slice(0, 500)}`);
  }
  return JSON.parse(text) as T;
}
