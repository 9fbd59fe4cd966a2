/**
 * Waiting for the workload to drain: every task the nodes know ends, and every running node's fold
 * has caught up to the same statuses. Bounded: a run that does not drain is a finding, not a hang.
 */
import type { ChaosCluster } from './chaos-cluster.ts';
import { isTerminalStatus } from './log-oracle.ts';
import type { ApiTask } from './task-checks.ts';

interface Listed {
  readonly taskId: string;
  readonly status: string;
}

/** Every running node's task list (oldest first, up to 1000). */
const POLL_INTERVAL_MS = 250;

export async function apiTasksOf(cluster: ChaosCluster): Promise<Map<string, ApiTask[]>> {
  const lists = new Map<string, ApiTask[]>();
  for (const node of cluster.live()) {
    const reply = await node.get<{ tasks: Listed[] }>('/v1/tasks?limit=1000');
    if (reply !== undefined)
      lists.set(
        node.id,
        reply.tasks.map((t) => ({ taskId: t.taskId, status: t.status })),
      );
  }
  return lists;
}

/**
 * Polls until every live node lists every id in `ids` (or the task it was folded into), all ended,
 * with the same statuses on every node. Resolves with the last lists and whether it drained.
 */
export async function drain(
  cluster: ChaosCluster,
  ids: readonly string[],
  timeoutMs: number,
): Promise<{ drained: boolean; lists: Map<string, ApiTask[]>; waitedMs: number }> {
  const started = Date.now();
  let lists = new Map<string, ApiTask[]>();
  const resolved = new Map<string, string>();
  while (Date.now() - started < timeoutMs) {
    lists = await apiTasksOf(cluster);
    const listed = new Set([...lists.values()][0]?.map((t) => t.taskId) ?? []);
    for (const id of ids.filter((i) => !listed.has(i) && !resolved.has(i))) {
      // Two nodes may take the same key at once: the later id answers with the task it folded into.
      const task = await cluster.live()[0]?.get<{ task: Listed }>(`/v1/tasks/${id}`);
      if (task !== undefined && task.task.taskId !== id) resolved.set(id, task.task.taskId);
    }
    const wanted = ids.map((id) => resolved.get(id) ?? id);
    if (lists.size === cluster.nodes.length && agreeAndEnded([...lists.values()], wanted)) {
      return { drained: true, lists, waitedMs: Date.now() - started };
    }
    // A poll, bounded by timeoutMs above: the loop waits for the condition, not for a guessed delay.
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  return { drained: false, lists, waitedMs: Date.now() - started };
}

function agreeAndEnded(lists: readonly ApiTask[][], ids: readonly string[]): boolean {
  const first = lists[0];
  if (first === undefined) return false;
  const statuses = new Map(first.map((t) => [t.taskId, t.status]));
  if (![...statuses.values()].every(isTerminalStatus)) return false;
  if (!ids.every((id) => statuses.has(id))) return false;
  return lists.every(
    (list) => list.length === first.length && list.every((t) => statuses.get(t.taskId) === t.status),
  );
}
