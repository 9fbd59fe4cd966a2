/**
 * Faults done to taskd processes: kill -9 and a new process under the same id and folder, SIGSTOP
 * past the session timeout or well inside it, sessions expired in a row (by a pause, or closed by the
 * server on demand), a damaged journal.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClusterView } from '../../src/streams/task-service.ts';
import { expireSession } from '../support/expire-session.ts';
import { sessionIdBytes, sessionPassword } from '../support/session-password.ts';
import { waitFor } from '../support/wait-for.ts';
import type { ChaosNode } from './chaos-node.ts';
import { SESSION_TIMEOUT_MS } from './chaos-settings.ts';
import { type FaultContext, pickRunner } from './fault-context.ts';
import { type Fault, type FaultRecord, openRecord } from './fault-kinds.ts';
import { damageJournal } from './journal-damage.ts';
import { dataDirOf, readNodeJournal } from './node-journals.ts';

type FaultOf<K extends Fault['kind']> = Extract<Fault, { kind: K }>;

/** kill -9 of the leader or of a runner; the same node starts again after the pause. */
export async function killNode(
  context: FaultContext,
  fault: FaultOf<'kill-leader' | 'kill-runner'>,
): Promise<FaultRecord> {
  const victim =
    fault.kind === 'kill-leader' ? await context.cluster.waitLeader() : await pickRunner(context);
  const record = openRecord(fault, victim.id);
  await victim.kill();
  record.killed.push(victim.id);
  // A new process may find its old ephemeral znodes still there until the old session expires.
  record.restartsAllowed[victim.id] = 1;
  await sleep(fault.restartAfterMs);
  victim.start();
  record.endedAt = Date.now();
  return record;
}

/** SIGSTOP of the leader until another node leads, then a little longer, then SIGCONT. */
export async function pauseLeaderPastTimeout(
  context: FaultContext,
  fault: FaultOf<'pause-leader'>,
): Promise<FaultRecord> {
  const leader = await context.cluster.waitLeader();
  const record = openRecord(fault, leader.id);
  const pause = { node: leader.id, from: Date.now(), to: 0 };
  record.paused.push(pause);
  record.restartsAllowed[leader.id] = 1;
  leader.pause();
  try {
    const next = await context.cluster.waitLeader('another node to lead', 30_000);
    record.notes.push(`${next.id} led ${Date.now() - pause.from} ms after the pause`);
    await sleep(fault.extraMs);
  } finally {
    leader.resume();
    pause.to = Date.now();
  }
  record.endedAt = pause.to;
  return record;
}

/** SIGSTOP of the leader for a fraction of the session timeout: no one may notice. */
export async function pauseLeaderBriefly(
  context: FaultContext,
  fault: FaultOf<'pause-leader-briefly'>,
): Promise<FaultRecord> {
  const leader = await context.cluster.waitLeader();
  const record = openRecord(fault, leader.id);
  const pause = { node: leader.id, from: Date.now(), to: 0 };
  record.paused.push(pause);
  leader.pause();
  await sleep(fault.fraction * SESSION_TIMEOUT_MS);
  leader.resume();
  pause.to = Date.now();
  record.endedAt = pause.to;
  record.observeMs = 2 * SESSION_TIMEOUT_MS;
  record.expectations.push({ kind: 'nothing-changes' });
  return record;
}

/**
 * The node's session expired `times` in a row, each time waiting for it to rejoin under a new
 * incarnation: paused until the others drop it, then resumed; or closed at once by the server.
 */
export async function expireNode(context: FaultContext, fault: FaultOf<'expire-node'>): Promise<FaultRecord> {
  const { cluster } = context;
  const target = fault.target === 'leader' ? await cluster.waitLeader() : await pickRunner(context);
  const record = openRecord(fault, target.id);
  record.restartsAllowed[target.id] = fault.times;
  const pid = target.current.pid ?? -1;
  for (let time = 1; time <= fault.times; time++) {
    const before = (await target.get<ClusterView>('/v1/cluster'))?.members.find((m) => m.node === target.id);
    const what = `(expiry ${time} of ${fault.times})`;
    if (fault.how === 'on-demand') await expireOnDemand(context, target);
    else await expireByPause(context, target, record, what);
    await waitFor(() => rejoined(context, target, before?.incarnation ?? 0), {
      what: `${target.id} to rejoin with a new incarnation ${what}`,
      timeoutMs: 30_000,
      intervalMs: 100,
    });
  }
  record.endedAt = Date.now();
  record.expectations.push({ kind: 'teardowns', node: target.id, count: fault.times, pid });
  return record;
}

/** SIGSTOP until the others drop the node (its session expired), then SIGCONT. */
async function expireByPause(
  context: FaultContext,
  target: ChaosNode,
  record: FaultRecord,
  what: string,
): Promise<void> {
  const pause = { node: target.id, from: Date.now(), to: 0 };
  record.paused.push(pause);
  target.pause();
  try {
    await waitFor(() => droppedByOthers(context, target), {
      what: `the others to drop ${target.id} ${what}`,
      timeoutMs: 30_000,
      intervalMs: 100,
    });
  } finally {
    target.resume();
    pause.to = Date.now();
  }
}

/** Closes the node's current session on the server (its id from the journal, its password worked out). */
async function expireOnDemand(context: FaultContext, target: ChaosNode): Promise<void> {
  const journal = await readNodeJournal(target.id, dataDirOf(target.dir));
  const connected = journal.entries.filter((e) => e.type === 'SessionConnected').at(-1);
  const sessionId = connected?.data.sessionId;
  if (typeof sessionId !== 'string') throw new Error(`${target.id}'s journal names no session to expire`);
  await expireSession(
    context.cluster.zookeeper.connectString,
    sessionIdBytes(sessionId),
    sessionPassword(sessionId),
  );
}

/** The node stopped (SIGTERM), its journal damaged, and started again. */
export async function damageNodeJournal(
  context: FaultContext,
  fault: FaultOf<'damage-journal'>,
): Promise<FaultRecord> {
  const target = fault.target === 'leader' ? await context.cluster.waitLeader() : await pickRunner(context);
  const record = openRecord(fault, target.id);
  await target.stop();
  const damage = damageJournal(join(target.dir, 'data', `journal-${target.id}.jsonl`), context.random);
  record.notes.push(
    `zeroed byte ${damage.zeroedOffset} (line ${damage.zeroedLine}), cut line ${damage.cutLine} to ${damage.cutTo} bytes`,
  );
  const restartedAt = Date.now();
  target.start();
  record.endedAt = Date.now();
  record.expectations.push({
    kind: 'journal-damage',
    node: target.id,
    file: damage.file,
    zeroedLine: damage.zeroedLine,
    cutLine: damage.cutLine,
    restartedAt,
  });
  return record;
}

/** Every other live node answers and none lists `target` as a member. */
async function droppedByOthers(context: FaultContext, target: ChaosNode): Promise<boolean> {
  const others = context.cluster.live().filter((n) => n !== target);
  const views = await Promise.all(others.map((n) => n.get<ClusterView>('/v1/cluster')));
  return views.every((v) => v !== undefined && !v.members.some((m) => m.node === target.id));
}

/** `target` is connected again, under a newer incarnation, and the others list it. */
async function rejoined(context: FaultContext, target: ChaosNode, before: number): Promise<boolean> {
  const own = await target.get<ClusterView>('/v1/cluster');
  const self = own?.members.find((m) => m.node === target.id);
  if (own?.session !== 'connected' || self === undefined || self.incarnation <= before) return false;
  const others = context.cluster.live().filter((n) => n !== target);
  const views = await Promise.all(others.map((n) => n.get<ClusterView>('/v1/cluster')));
  return views.every((v) => v?.members.some((m) => m.node === target.id) === true);
}
