/** How taskctl shows the cluster: who leads, what is degraded, and one row per member. */
import type { ClusterView } from '../../streams/task-service.ts';
import { formatTable } from './table.ts';

/** The cluster as the answering node sees it. */
export function formatCluster(view: ClusterView): string {
  const lines = [
    `${view.node} sees: leader ${view.leader ?? 'none'}` +
      (view.epoch === null ? '' : ` (epoch ${view.epoch})`) +
      `, VIP on ${view.vipHolder ?? 'no node'}, session ${view.session}`,
  ];
  if (view.degraded.length > 0) lines.push(`degraded: ${view.degraded.join('; ')}`);
  const counts = Object.entries(view.tasks).filter(([, count]) => count > 0);
  lines.push(
    `tasks: ${counts.length === 0 ? 'none' : counts.map(([state, n]) => `${n} ${state}`).join(', ')}`,
  );
  const rows = view.members.map((m) => [
    m.node,
    m.address,
    m.health,
    m.draining ? 'yes' : 'no',
    // Held (assigned or running) of capacity, and the queue beyond it when the node prefetches.
    `${m.running}/${m.capacity}${m.prefetch > 0 ? `+${m.prefetch}` : ''}`,
    roles(view, m.node),
  ]);
  const table = formatTable(['NODE', 'ADDRESS', 'HEALTH', 'DRAINING', 'RUNNING', 'ROLE'], rows);
  return `${lines.join('\n')}\n\n${table}`;
}

function roles(view: ClusterView, node: string): string {
  const found = [view.leader === node ? 'leader' : '', view.vipHolder === node ? 'vip' : ''];
  return found.filter((r) => r !== '').join(',') || '-';
}
