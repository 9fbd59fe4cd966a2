/**
 * One look at the cluster through one node's API: its view of the cluster and its fold of the tasks.
 * Every node folds the same task log, so any live node will do; the demo asks the first that answers.
 */
import type { Task } from '../../domain/task/state.ts';
import type { ClusterView } from '../../streams/task-service.ts';
import type { NodeProcess } from '../local-cluster/node-process.ts';
import { clusterOf, tasksOf } from './node-api.ts';

export interface ClusterSnapshot {
  /** The node that answered. */
  readonly from: string;
  readonly view: ClusterView;
  readonly tasks: readonly Task[];
}

export const FINISHED_STATUSES: ReadonlySet<string> = new Set([
  'succeeded',
  'failed',
  'cancelled',
  'timed_out',
]);

/** The first running node's answer, or undefined when none answers. */
export async function takeSnapshot(nodes: readonly NodeProcess[]): Promise<ClusterSnapshot | undefined> {
  for (const node of nodes.filter((n) => n.running)) {
    const [view, tasks] = await Promise.all([clusterOf(node), tasksOf(node)]);
    if (view !== undefined && tasks !== undefined) return { from: node.options.nodeId, view, tasks };
  }
  return undefined;
}

/** The first 8 characters of a task id, enough to tell the demo's tasks apart. */
export function shortId(taskId: string): string {
  return taskId.slice(0, 8);
}
