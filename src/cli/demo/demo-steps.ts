/**
 * The demo's six steps, in order. Each prints what it does and waits only for conditions it can
 * observe (through the nodes' HTTP APIs), each wait bounded and named, so a slow machine gives a
 * clear message instead of a hang, and no fixed sleep hides a race.
 */
import { join } from 'node:path';
import type { Task } from '../../domain/task/state.ts';
import type { NodeExit, NodeProcess } from '../local-cluster/node-process.ts';
import type { DemoCluster } from './demo-cluster.ts';
import type { DemoOutput } from './demo-output.ts';
import { exportTaskLog } from './export-task-log.ts';
import { finalTaskTable } from './final-report.ts';
import { clusterOf, requestCancel, submitBatch } from './node-api.ts';
import { FINISHED_STATUSES, shortId } from './snapshot.ts';
import { StatusBoard } from './status-board.ts';
import { describeWork, demoWork, taskToCancel } from './task-mix.ts';
import { waitUntil } from './wait-until.ts';

export const NODE_COUNT = 3;
export const SESSION_TIMEOUT_MS = 3_000;
/** Grace after SIGTERM before a node is killed; its teardown normally takes a second or two. */
export const STOP_GRACE_MS = 30_000;

export interface DemoContext {
  readonly output: DemoOutput;
  readonly cluster: DemoCluster;
  readonly clusterName: string;
  readonly dir: string;
  /** Aborted on Ctrl-C / SIGTERM. */
  readonly signal: AbortSignal;
  /** Nodes the demo killed on purpose (a node that exits otherwise is an error). */
  readonly killed: Set<string>;
  /** Every wait is bounded by its own limit and by the demo's overall deadline. */
  bound(ms: number): number;
}

/** What the tasks step hands to the later ones. */
export interface SubmittedWork {
  readonly ids: readonly string[];
  readonly cancelId: string;
  readonly board: StatusBoard;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Step 1: a 3-server ZooKeeper ensemble on loopback. */
export async function startZooKeeperStep(ctx: DemoContext): Promise<void> {
  ctx.output.line('[1/6] Starting a local ZooKeeper ensemble of 3 servers...');
  const started = Date.now();
  const zookeeper = await ctx.cluster.startZooKeeper();
  for (const server of zookeeper.servers) {
    ctx.output.line(`      server ${server.id}: ${server.connectString} (java pid ${server.pid})`);
  }
  ctx.output.line(`      serving after ${seconds(Date.now() - started)}; connect string ${zookeeper.connectString}`);
}

/** Step 2: three taskd processes; waits until one leads and all are members. */
export async function startNodesStep(ctx: DemoContext): Promise<void> {
  ctx.output.line();
  ctx.output.line(
    `[2/6] Starting ${NODE_COUNT} taskd nodes (task log in ZooKeeper, session timeout ${seconds(SESSION_TIMEOUT_MS)})...`,
  );
  const started = Date.now();
  const nodes = await ctx.cluster.startNodes(NODE_COUNT);
  for (const node of nodes) {
    ctx.output.line(`      ${node.options.nodeId}: ${node.endpoint} (taskd pid ${node.pid}), folder ${node.options.dir}`);
  }
  const formed = await waitUntil(
    async () => {
      assertNoUnexpectedExit(ctx);
      const leader = await ctx.cluster.leader();
      const view = leader && (await clusterOf(leader.node));
      return view?.members.length === NODE_COUNT ? view : undefined;
    },
    { what: `${NODE_COUNT} members and a leader`, timeoutMs: ctx.bound(60_000), signal: ctx.signal },
  );
  const members = formed.members.map((m) => `${m.node} (incarnation ${m.incarnation})`).join(', ');
  ctx.output.line(`      cluster "${ctx.clusterName}" formed after ${seconds(Date.now() - started)}:`);
  ctx.output.line(`      leader ${formed.leader}, epoch ${formed.epoch}, members ${members}`);
}

/** Step 3 and 4: submits the work through a follower's API, shows it live, cancels one task. */
export async function submitTasksStep(ctx: DemoContext): Promise<SubmittedWork> {
  const leader = await ctx.cluster.leader();
  const via = ctx.cluster.running().find((n) => n !== leader?.node) ?? ctx.cluster.nodes[0];
  if (via === undefined) throw new Error('no node to submit to');
  ctx.output.line();
  ctx.output.line(`[3/6] Submitting tasks through ${via.options.nodeId}'s API (POST ${via.endpoint}/v1/tasks:batch):`);
  ctx.output.line(`      ${describeWork()}`);
  const work = await submitBatch(via, demoWork());
  const [cancelTarget] = await submitBatch(via, [taskToCancel()]);
  if (cancelTarget === undefined) throw new Error('the node accepted no task to cancel');
  ctx.output.line(`      ${work.length + 1} tasks accepted; ${shortId(cancelTarget.taskId)} is the one to cancel`);

  ctx.output.line();
  ctx.output.line('[4/6] Live status (refreshed every 500 ms; per node: tasks assigned or running there)');
  const board = new StatusBoard({
    output: ctx.output,
    nodes: () => ctx.cluster.running(),
    nodeIds: ctx.cluster.nodes.map((n) => n.options.nodeId),
    killed: ctx.killed,
  });
  board.start();
  const running = await waitForTask(ctx, board, cancelTarget.taskId, (t) => t.status === 'running', 'to run');
  await requestCancel(via, cancelTarget.taskId, 'cancelled by the demo');
  ctx.output.event(
    `  POST /v1/tasks/${shortId(cancelTarget.taskId)}.../cancel: requested while it runs on ${running.assignment?.node}`,
  );
  return { ids: [...work.map((t) => t.taskId), cancelTarget.taskId], cancelId: cancelTarget.taskId, board };
}

/** Step 5: kill -9 the leader while it runs tasks; a new leader takes over and requeues them. */
export async function killLeaderStep(ctx: DemoContext, submitted: SubmittedWork): Promise<Task[]> {
  const { board } = submitted;
  const old = await waitUntil(() => ctx.cluster.leader(), {
    what: 'the leader',
    timeoutMs: ctx.bound(30_000),
    signal: ctx.signal,
  });
  const leaderId = old.node.options.nodeId;
  // Tasks early in their run cannot finish between this look and the kill: they will be requeued.
  const victims = await waitUntil(
    async () => {
      assertNoUnexpectedExit(ctx);
      const tasks = (await board.refresh())?.tasks ?? [];
      const onLeader = tasks.filter(
        (t) => (t.status === 'running' && (t.progress ?? 0) < 0.5) || t.status === 'assigned',
      );
      const lost = onLeader.filter((t) => t.assignment?.node === leaderId && t.taskId !== submitted.cancelId);
      return lost.length > 0 ? lost : undefined;
    },
    { what: `a task running on the leader ${leaderId}`, timeoutMs: ctx.bound(30_000), signal: ctx.signal },
  );
  ctx.output.line();
  ctx.output.event(
    `[5/6] kill -9 the leader ${leaderId} (pid ${old.node.pid}, epoch ${old.epoch}) while it runs ${victims.map((t) => shortId(t.taskId)).join(', ')}`,
  );
  const killedAt = Date.now();
  ctx.killed.add(leaderId);
  old.node.signal('SIGKILL');
  const exit = await old.node.exited;
  ctx.output.event(`  ${leaderId} is gone (${exit.signal ?? `exit ${exit.code}`}); survivors wait for its session to expire`);

  const next = await waitUntil(
    async () => {
      assertNoUnexpectedExit(ctx);
      const leader = await ctx.cluster.leader();
      return leader !== undefined && leader.epoch > old.epoch ? leader : undefined;
    },
    { what: `a new leader after ${leaderId}`, timeoutMs: ctx.bound(60_000), signal: ctx.signal },
  );
  ctx.output.event(
    `  new leader ${next.node.options.nodeId}, epoch ${next.epoch} (was ${leaderId}, epoch ${old.epoch}), ${seconds(Date.now() - killedAt)} after the kill`,
  );

  await waitUntil(
    async () => {
      assertNoUnexpectedExit(ctx);
      const byId = new Map(((await board.refresh())?.tasks ?? []).map((t) => [t.taskId, t]));
      return victims.every((v) => (byId.get(v.taskId)?.attempt ?? 0) > v.attempt);
    },
    { what: `the tasks lost with ${leaderId} to be requeued`, timeoutMs: ctx.bound(30_000), signal: ctx.signal },
  );
  ctx.output.event(`  every task lost with ${leaderId} was requeued as a new attempt (${victims.length})`);

  const finished = await waitUntil(
    async () => {
      assertNoUnexpectedExit(ctx);
      const tasks = (await board.refresh())?.tasks;
      const mine = tasks?.filter((t) => submitted.ids.includes(t.taskId)) ?? [];
      return mine.length === submitted.ids.length && mine.every((t) => FINISHED_STATUSES.has(t.status))
        ? mine
        : undefined;
    },
    {
      what: 'every task to finish',
      timeoutMs: ctx.bound(60_000),
      signal: ctx.signal,
      detail: () => unfinished(board, submitted.ids),
    },
  );
  await board.stop();
  const count = (status: string) => finished.filter((t) => t.status === status).length;
  ctx.output.event(
    `  every task finished: ${count('succeeded')} succeeded, ${count('failed')} failed, ${count('cancelled')} cancelled`,
  );
  ctx.output.line();
  for (const line of finalTaskTable(finished).trimEnd().split('\n')) ctx.output.line(`      ${line}`);
  assertExpectedOutcomes(finished, submitted.cancelId);
  return finished;
}

/** Step 6: SIGTERM to the survivors (exit 0 after teardown), the task log copied out, ZooKeeper stopped. */
export async function stopStep(ctx: DemoContext): Promise<string> {
  ctx.output.line();
  const survivors = ctx.cluster.running();
  ctx.output.event(`[6/6] Stopping ${survivors.map((n) => n.options.nodeId).join(', ')} with SIGTERM...`);
  const exits = await ctx.cluster.stopNodes(STOP_GRACE_MS);
  const bad: string[] = [];
  for (const [node, exit] of exits) {
    ctx.output.event(`  ${node.options.nodeId} (pid ${node.pid}) ${describeExit(exit)}`);
    if (exit.code !== 0) bad.push(`${node.options.nodeId} ${describeExit(exit)} (log: ${node.logPath})`);
  }
  const zookeeper = ctx.cluster.zookeeper;
  if (zookeeper === undefined) throw new Error('ZooKeeper is not running');
  const exported = await exportTaskLog(zookeeper.connectString, ctx.clusterName, join(ctx.dir, 'task-log.jsonl'));
  ctx.output.event(`  task log: ${exported.events} events copied out of ZooKeeper`);
  await ctx.cluster.stopZooKeeper();
  ctx.output.event(`  ZooKeeper stopped (java pids ${zookeeper.servers.map((s) => s.pid ?? '-').join(', ')} gone)`);
  if (bad.length > 0) throw new Error(`a node did not stop cleanly: ${bad.join('; ')}`);
  return exported.path;
}

function describeExit(exit: NodeExit): string {
  return exit.signal === null ? `exited ${exit.code}` : `was ended by ${exit.signal}`;
}

/** A node that dies without the demo killing it is a failure the demo reports at once. */
function assertNoUnexpectedExit(ctx: DemoContext): void {
  const dead = ctx.cluster.nodes.find((n) => !n.running && !ctx.killed.has(n.options.nodeId));
  if (dead !== undefined) {
    throw new Error(`${dead.options.nodeId} exited on its own; see its log ${dead.logPath}`);
  }
}

async function waitForTask(
  ctx: DemoContext,
  board: StatusBoard,
  taskId: string,
  test: (task: Task) => boolean,
  what: string,
): Promise<Task> {
  return waitUntil(
    async () => {
      assertNoUnexpectedExit(ctx);
      const task = (await board.refresh())?.tasks.find((t) => t.taskId === taskId);
      return task !== undefined && test(task) ? task : undefined;
    },
    { what: `task ${shortId(taskId)} ${what}`, timeoutMs: ctx.bound(30_000), signal: ctx.signal },
  );
}

function unfinished(board: StatusBoard, ids: readonly string[]): string | undefined {
  const open = (board.latest?.tasks ?? []).filter((t) => ids.includes(t.taskId) && !FINISHED_STATUSES.has(t.status));
  return open.map((t) => `${shortId(t.taskId)} ${t.type} ${t.status} (attempt ${t.attempt})`).join(', ');
}

/** noop and sleep succeed, fail fails once its attempts are spent, the cancelled one is cancelled. */
function assertExpectedOutcomes(tasks: readonly Task[], cancelId: string): void {
  const wrong = tasks.filter((t) => {
    if (t.taskId === cancelId) return t.status !== 'cancelled';
    if (t.type === 'fail') return t.status !== 'failed' || t.attempt !== t.maxAttempts;
    return t.status !== 'succeeded';
  });
  if (wrong.length > 0) {
    const list = wrong.map((t) => `${shortId(t.taskId)} ${t.type} ended ${t.status} (attempt ${t.attempt})`);
    throw new Error(`unexpected outcomes: ${list.join('; ')}`);
  }
}
