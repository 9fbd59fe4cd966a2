/**
 * Failover: kill -9 of the leader of a 3-node cluster while tasks are pending, to the first
 * assignment by the new leader (the first TaskAssigned of a newer epoch in the task log, its meta.at).
 * The pending tasks are submitted to a survivor right after the kill, so they wait for the new leader.
 * Measured per session timeout, and given as a ratio to it. Reference: keepalived's default VRRP
 * failover, about 3 s (three advertisement intervals of 1 s, plus skew).
 */
import type { NodeProcess } from '../src/cli/local-cluster/node-process.ts';
import { pollUntil } from '../src/infra/zookeeper-server/poll.ts';
import type { Cleanup } from './support/cleanup.ts';
import { ms, type Row, type Section } from './support/report.ts';
import {
  clusterView,
  finished,
  leaderOf,
  readTaskLog,
  startCluster,
  submitBatch,
  taskCounts,
} from './support/taskd-cluster.ts';

const PENDING_TASKS = 30;
const KEEPALIVED_MS = 3_000;

export interface FailoverFigures {
  readonly sessionTimeoutMs: number;
  /** kill → EpochStarted of the new leader. */
  readonly fencedMs: number;
  /** kill → first TaskAssigned of the new epoch. */
  readonly firstAssignmentMs: number;
  readonly oldEpoch: number;
  readonly newEpoch: number;
}

/** One kill -9 on a fresh cluster with `sessionTimeoutMs`. */
export async function failoverOnce(
  parent: Cleanup,
  zk: string,
  sessionTimeoutMs: number,
): Promise<FailoverFigures> {
  const cleanup = parent.child();
  try {
    const cluster = await startCluster(cleanup, { zk, size: 3, sessionTimeoutMs });
    const leader = (await leaderOf(cluster.nodes)) as NodeProcess;
    const oldEpoch = (await clusterView(leader))?.epoch ?? 0;
    const survivor = cluster.nodes.find((n) => n !== leader) as NodeProcess;
    const killedAt = Date.now();
    leader.signal('SIGKILL');
    await leader.exited;
    await submitBatch(
      survivor,
      Array.from({ length: PENDING_TASKS }, (_, i) => ({ type: 'noop', payload: { i } })),
    );
    await pollUntil(
      async () => finished((await taskCounts(survivor)) ?? (await Promise.reject())) >= PENDING_TASKS,
      {
        timeoutMs: 30_000 + 3 * sessionTimeoutMs,
        intervalMs: 50,
        what: 'the pending tasks to finish under the new leader',
      },
    );
    const log = await readTaskLog(cluster);
    const newer = (type: string) =>
      log.find((e) => e.type === type && ((e.data as { epoch?: number }).epoch ?? 0) > oldEpoch);
    const fence = newer('EpochStarted');
    const assigned = newer('TaskAssigned');
    if (fence === undefined || assigned === undefined)
      throw new Error('no newer epoch in the log after the kill');
    return {
      sessionTimeoutMs,
      fencedMs: fence.meta.at - killedAt,
      firstAssignmentMs: assigned.meta.at - killedAt,
      oldEpoch,
      newEpoch: (assigned.data as { epoch: number }).epoch,
    };
  } finally {
    await cleanup.run();
  }
}

/** One kill per session timeout. */
export async function measureFailover(
  cleanup: Cleanup,
  zk: string,
  sessionTimeouts: readonly number[] = [2_000, 6_000],
): Promise<Section & { figures: FailoverFigures[] }> {
  const figures: FailoverFigures[] = [];
  for (const timeout of sessionTimeouts) figures.push(await failoverOnce(cleanup, zk, timeout));
  const rows: Row[] = figures.map((f) => ({
    measure: `failover: kill -9 leader → first assignment, session timeout ${f.sessionTimeoutMs} ms`,
    taskd: ms(f.firstAssignmentMs),
    reference: `session timeout ${f.sessionTimeoutMs} ms; keepalived VRRP default ~${KEEPALIVED_MS} ms`,
    ratio: f.firstAssignmentMs / f.sessionTimeoutMs,
    aim: `< ${f.sessionTimeoutMs + 1000} ms`,
    met: f.firstAssignmentMs < f.sessionTimeoutMs + 1000,
    note: `ratio to the session timeout; new epoch fenced (EpochStarted) at ${ms(f.fencedMs)}; ${(f.firstAssignmentMs / KEEPALIVED_MS).toFixed(2)}× keepalived's ~3 s`,
  }));
  return { name: 'failover', rows, raw: figures, figures };
}
