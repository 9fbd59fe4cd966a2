/**
 * The live status as one line of plain text: the leader and epoch, task counts by state, how many
 * tasks each node runs, and the mean progress of running tasks. Pure, so the board can compare
 * two lines to decide whether anything changed.
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

/** The status line for one snapshot (without a timestamp). */
export function statusLine(snapshot: ClusterSnapshot, context: StatusContext): string {
  const { view, tasks } = snapshot;
  const leader = view.leader === null ? 'leader: none' : `leader ${view.leader} (epoch ${view.epoch ?? '?'})`;
  const counts = SHOWN_STATES.filter(([state]) => ALWAYS_SHOWN.has(state) || view.tasks[state] > 0)
    .map(([state, label]) => `${label} ${view.tasks[state]}`)
    .join(' ');
  const perNode = context.nodes
    .map((node) => {
      if (context.killed.has(node)) return `${node} killed`;
      const member = view.members.find((m) => m.node === node);
      return member === undefined ? `${node} -` : `${node} ${member.running}`;
    })
    .join(', ');
  const running = tasks.filter((t) => t.status === 'running');
  const progress =
    running.length === 0
      ? ''
      : ` | progress ${Math.round((running.reduce((sum, t) => sum + (t.progress ?? 0), 0) / running.length) * 10) * 10}%`;
  return `${leader} | ${counts} | per node: ${perNode}${progress}`;
}
