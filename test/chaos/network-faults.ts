/**
 * Faults done to the network of a namespaced stage: a node's veth cut for longer than a session (it
 * must fence itself and come back), and latency on the loopback the whole cluster shares (measured
 * per step: leadership changes, suspicions, losses, tasks that succeeded).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { readTaskLog } from '../support/task-log-reader.ts';
import { waitFor } from '../support/wait-for.ts';
import type { ChaosNode } from './chaos-node.ts';
import { SESSION_TIMEOUT_MS, SUSPICION_WINDOW_MS } from './chaos-settings.ts';
import { type FaultContext, pickRunner } from './fault-context.ts';
import { type Fault, type FaultRecord, openRecord } from './fault-kinds.ts';
import { dataDirOf, readNodeJournal } from './node-journals.ts';

type FaultOf<K extends Fault['kind']> = Extract<Fault, { kind: K }>;

/** The node's veth down for `durationMs` (it hears nothing from ZooKeeper), then up again. */
export async function cutNodeLink(
  context: FaultContext,
  fault: FaultOf<'cut-node-link'>,
): Promise<FaultRecord> {
  const { cluster } = context;
  const setLinkUp = cluster.stage.setLinkUp;
  if (setLinkUp === undefined) throw new Error('cut-node-link needs each node in a namespace of its own');
  const leader = await cluster.waitLeader();
  const target = fault.target === 'leader' ? leader : await pickRunner(context);
  const record = openRecord(fault, target.id);
  // The first incarnation is lost; while the link stays down a new one cannot even connect.
  record.restartsAllowed[target.id] = 1 + Math.floor(fault.durationMs / SESSION_TIMEOUT_MS);
  const pid = target.current.pid ?? -1;
  const cutAt = Date.now();
  await setLinkUp(target.id, false);
  try {
    await waitFor(() => lostSince(target, cutAt), {
      what: `${target.id} to lose its session on its own once cut off`,
      timeoutMs: 6 * SESSION_TIMEOUT_MS,
      intervalMs: 100,
    });
    record.notes.push(`${target.id} lost its session ${Date.now() - cutAt} ms after the cut`);
    if (target === leader) {
      const next = await waitFor(async () => otherLeader(context, target), {
        what: `another node to lead once ${target.id} was cut off`,
        timeoutMs: 30_000,
        intervalMs: 100,
      });
      record.notes.push(`${next.id} led ${Date.now() - cutAt} ms after the cut`);
    }
    await sleep(Math.max(0, fault.durationMs - (Date.now() - cutAt)));
  } finally {
    await setLinkUp(target.id, true);
  }
  record.endedAt = Date.now();
  record.expectations.push({
    kind: 'fenced-off',
    node: target.id,
    pid,
    wasLeader: target === leader,
    cutAt,
    restoredAt: record.endedAt,
  });
  return record;
}

/** Latency on the shared loopback for `durationMs`, then none; measures until the cluster is stable again. */
export async function addLoopbackLatency(
  context: FaultContext,
  fault: FaultOf<'loopback-latency'>,
): Promise<FaultRecord> {
  const { cluster } = context;
  const setDelay = cluster.stage.setLoopbackDelay;
  if (setDelay === undefined) throw new Error('loopback-latency needs the whole cluster in one namespace');
  const record = openRecord(fault, `loopback +${fault.delayMs} ms`);
  // Where flapping starts is what the step measures: each node may lose a session per suspicion window.
  record.restartsAllowed['*'] = 1 + Math.ceil(fault.durationMs / SUSPICION_WINDOW_MS);
  await setDelay(fault.delayMs);
  try {
    await sleep(fault.durationMs);
  } finally {
    await setDelay(undefined);
  }
  record.endedAt = Date.now();
  // What the delay set off (a new leader, restarts) ends after it: measure until the cluster settles.
  await cluster.waitStable(`the cluster to settle after ${fault.delayMs} ms of latency`);
  record.measurements = {
    ...(await measureWindow(context, record.startedAt, Date.now())),
    by: cluster.stage.detail ?? 'the stage',
  };
  return record;
}

/** What the journals and the task log say happened between `from` and `to`. */
async function measureWindow(
  context: FaultContext,
  from: number,
  to: number,
): Promise<Record<string, number>> {
  const { cluster } = context;
  const counts = { negotiatedTimeoutMs: 0, leadershipChanges: 0, suspended: 0, lost: 0, succeeded: 0 };
  for (const node of cluster.nodes) {
    const journal = await readNodeJournal(node.id, dataDirOf(node.dir));
    const session = journal.entries.filter((e) => e.type === 'SessionConnected' && e.at <= to).at(-1);
    counts.negotiatedTimeoutMs = Math.max(
      counts.negotiatedTimeoutMs,
      Number(session?.data.negotiatedTimeoutMs ?? 0),
    );
    for (const e of journal.entries.filter((entry) => entry.at >= from && entry.at <= to)) {
      if (e.type === 'LeadershipAcquired') counts.leadershipChanges += 1;
      if (e.type === 'SessionSuspended') counts.suspended += 1;
      if (e.type === 'SessionLost') counts.lost += 1;
    }
  }
  const log = await readTaskLog(cluster.zookeeper.connectString, cluster.name);
  counts.succeeded = log.filter(
    (e) => e.type === 'TaskSucceeded' && e.meta.at >= from && e.meta.at <= to,
  ).length;
  return counts;
}

async function lostSince(node: ChaosNode, since: number): Promise<boolean> {
  const journal = await readNodeJournal(node.id, dataDirOf(node.dir));
  return journal.entries.some((e) => e.type === 'SessionLost' && e.at >= since);
}

async function otherLeader(context: FaultContext, not: ChaosNode): Promise<ChaosNode | undefined> {
  const leader = await context.cluster.leader();
  return leader !== undefined && leader !== not ? leader : undefined;
}
