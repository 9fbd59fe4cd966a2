/**
 * Where the VIP is, on a stage where the nodes have interfaces of their own. While the run goes on,
 * replay judges the journals (`vip-on-two-nodes`, see anomaly-checks.ts); once the cluster has
 * settled, `ip addr` in every node's namespace must show the VIP on the leader alone: a copy a
 * killed process could not remove is gone once that node started again.
 */
import { waitFor } from '../support/wait-for.ts';
import type { ChaosCluster } from './chaos-cluster.ts';
import type { NodeJournal } from './node-journals.ts';
import type { Verdict } from './verdict.ts';

/** How long the settled cluster's leader may take to add the VIP and its peers to drop stale copies. */
const VIP_SETTLE_MS = 15_000;

export async function checkVipOnLeaderAlone(verdict: Verdict, cluster: ChaosCluster): Promise<void> {
  const vip = cluster.stage.vip;
  if (vip === undefined) return;
  let leader: string | undefined;
  let holders: string[] = [];
  try {
    await waitFor(
      async () => {
        leader = (await cluster.leader())?.id;
        holders = await vip.holders();
        return leader !== undefined && holders.length === 1 && holders[0] === leader;
      },
      { what: `the VIP ${vip.address} on the leader alone`, timeoutMs: VIP_SETTLE_MS, intervalMs: 100 },
    );
    verdict.note(`VIP ${vip.address} on the leader ${leader} alone at the end`);
  } catch {
    verdict.fail(
      'vip',
      `${VIP_SETTLE_MS} ms after the cluster settled the VIP ${vip.address} was on [${holders.join(', ')}], ` +
        `not on the leader (${leader ?? 'none'}) alone`,
    );
  }
}

/** How often each node took the VIP, by its journal: what the run put the VIP through. */
export function noteVipMoves(verdict: Verdict, journals: ReadonlyMap<string, NodeJournal>): void {
  const counts = [...journals].map(
    ([node, journal]) => [node, journal.entries.filter((e) => e.type === 'VipAcquired').length] as const,
  );
  if (counts.every(([, count]) => count === 0)) return;
  verdict.note(`VIP acquired ${counts.map(([node, count]) => `${node} ×${count}`).join(', ')} (journals)`);
}
