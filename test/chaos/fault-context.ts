/** What every fault is applied with. */
import type { ChaosCluster } from './chaos-cluster.ts';
import type { ChaosNode } from './chaos-node.ts';
import type { SeededRandom } from './seeded-random.ts';

export interface FaultContext {
  readonly cluster: ChaosCluster;
  /** Draws that depend on the cluster (which node is leader) come from here, after the plan. */
  readonly random: SeededRandom;
  readonly say: (line: string) => void;
}

/** A live node that does not lead (the leader when it is alone). */
export async function pickRunner(context: FaultContext): Promise<ChaosNode> {
  const leader = await context.cluster.waitLeader();
  const others = context.cluster.live().filter((n) => n !== leader);
  return others.length === 0 ? leader : context.random.pick(others);
}
