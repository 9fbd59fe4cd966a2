/**
 * Step 5: the leader killed with SIGKILL while it runs tasks; the survivors see its session expire,
 * a new leader fences with a higher epoch and requeues what was lost, and every task finishes.
 */
import type { Task } from '../../domain/task/state.ts';
import { assertNoUnexpectedExit, type DemoContext, seconds } from './demo-context.ts';
import { finalTaskTable } from './final-report.ts';
import { FINISHED_STATUSES, shortId } from './snapshot.ts';
import type { StatusBoard } from './status-board.ts';
import { waitUntil } from './wait-until.ts';
import type { SubmittedWork } from './work-step.ts';

/** Kills the leader while it runs tasks, then waits for the new leader, the requeues and the end of every task. */
export async function killLeaderStep(ctx: DemoContext, submitted: SubmittedWork): Promise<Task[]> {
  const { board } = ctx;
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
      const early = tasks.filter(
        (t) => (t.status === 'running' && (t.progress ?? 0) < 0.5) || t.status === 'assigned',
      );
      const lost = early.filter((t) => t.assignment?.node === leaderId && t.taskId !== submitted.cancelId);
      return lost.length > 0 ? lost : undefined;
    },
    {
      what: `a task in the first half of its run on the leader ${leaderId}`,
      timeoutMs: ctx.bound(30_000),
      signal: ctx.signal,
    },
  );
  ctx.output.step(
    5,
    `kill -9 the leader ${leaderId} (pid ${old.node.pid}, epoch ${old.epoch}) while it runs ${victims.map((t) => shortId(t.taskId)).join(', ')}`,
  );
  const killedAt = Date.now();
  ctx.killed.add(leaderId);
  old.node.signal('SIGKILL');
  const exit = await old.node.exited;
  ctx.output.event(
    `  ${leaderId} is gone (${exit.signal ?? `exit ${exit.code}`}); survivors wait for its session to expire`,
  );

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
    {
      what: `the tasks lost with ${leaderId} to be requeued`,
      timeoutMs: ctx.bound(30_000),
      signal: ctx.signal,
    },
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
  for (const line of finalTaskTable(finished).trimEnd().split('\n')) ctx.output.detail(line);
  assertExpectedOutcomes(finished, submitted.cancelId);
  return finished;
}

function unfinished(board: StatusBoard, ids: readonly string[]): string | undefined {
  const open = (board.latest?.tasks ?? []).filter(
    (t) => ids.includes(t.taskId) && !FINISHED_STATUSES.has(t.status),
  );
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
