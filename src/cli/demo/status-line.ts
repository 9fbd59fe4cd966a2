/**
 * The live status as plain text: the leader and epoch, task counts by state, how many tasks each
 * node has, and the mean progress of running tasks. Pure, so that the output can compare two
 * statuses to decide whether anything changed.
 */
import type { ClusterSnapshot } from './snapshot.ts';

const SHOWN_STATES = [
  ['pending', 'pending'],
  ['assigned', 'assigned'],
  ['running', 'running'],
  ['interrupted', 'interrupted'],
  ['awaiting_retry', 'retry'],
  ['succeeded', 'succeeded'],
  ['failed', 'failed'],
  ['cancelled', 'cancelled'],
  ['timed_out', 'timed_out'],
] as const;

/** States shown even at zero, so the line keeps its shape while it is redrawn. */
const ALWAYS_SHOWN = new Set(['pending', 'running', 'succeeded', 'failed', 'cancelled']);

export interface StatusContext {
  /** Every node of the demo, in order (n1, n2, n3). */
  readonly nodes: readonly string[];
  /** Nodes the demo killed. */
  readonly killed: ReadonlySet<string>;
}

/**
 * The status for one snapshot, without a timestamp, in three short parts: the leader, the tasks by
 * state, each node's load (a terminal shows one part a line; a log joins them on one line).
 */
export function statusParts(snapshot: ClusterSnapshot, context: StatusContext): string[] {
  const { view, tasks } = snapshot;
  const leader = view.leader === null ? 'leader: none' : `leader ${view.leader}, epoch ${view.epoch ?? '?'}`;
  const counts = SHOWN_STATES.filter(([state]) => ALWAYS_SHOWN.has(state) || view.tasks[state] > 0)
    .map(([state, label]) => `${label} ${view.tasks[state]}`)
    .join(', ');
  const perNode = context.nodes
    .map((node) => {
      if (context.killed.has(node)) return `${node} killed`;
      const member = view.members.find((m) => m.node === node);
      return member === undefined ? `${node} not a member` : `${node} ${member.running}`;
    })
    .join(', ');
  const running = tasks.filter((t) => t.status === 'running');
  const progress =
    running.length === 0
      ? ''
      : `; progress ${Math.round((running.reduce((sum, t) => sum + (t.progress ?? 0), 0) / running.length) * 10) * 10}%`;
  return [leader, `tasks: ${counts}`, `per node: ${perNode}${progress}`];
}
