/**
 * Steps 3 and 4: the work submitted through a follower's API (any node takes submissions), the live
 * status started, and one running task cancelled through POST /v1/tasks/:id/cancel.
 */
import type { Task } from '../../domain/task/state.ts';
import { assertNoUnexpectedExit, type DemoContext } from './demo-context.ts';
import { requestCancel, submitBatch } from './node-api.ts';
import { shortId } from './snapshot.ts';
import { demoWork, describeWork, taskToCancel } from './task-mix.ts';
import { waitUntil } from './wait-until.ts';

/** What the tasks step hands to the later ones. */
export interface SubmittedWork {
  readonly ids: readonly string[];
  readonly cancelId: string;
}

/** Step 3 and 4: submits the work through a follower's API, shows it live, cancels one task. */
export async function submitTasksStep(ctx: DemoContext): Promise<SubmittedWork> {
  const leader = await ctx.cluster.leader();
  const via = ctx.cluster.running().find((n) => n !== leader?.node) ?? ctx.cluster.nodes[0];
  if (via === undefined) throw new Error('no node to submit to');
  ctx.output.step(
    3,
    `Submitting tasks through ${via.options.nodeId}'s API (POST ${via.endpoint}/v1/tasks:batch):`,
  );
  ctx.output.detail(`${describeWork()}`);
  const work = await submitBatch(via, demoWork());
  const [cancelTarget] = await submitBatch(via, [taskToCancel()]);
  if (cancelTarget === undefined) throw new Error('the node accepted no task to cancel');
  ctx.output.detail(
    `${work.length + 1} tasks accepted; ${shortId(cancelTarget.taskId)} is the one to cancel`,
  );

  ctx.output.step(4, 'Live status, refreshed every 500 ms (per node: tasks assigned to or running on it)');
  ctx.board.start();
  const running = await waitForTask(ctx, cancelTarget.taskId, (t) => t.status === 'running', 'to run');
  await requestCancel(via, cancelTarget.taskId, 'cancelled by the demo');
  ctx.output.event(
    `  POST /v1/tasks/${shortId(cancelTarget.taskId)}.../cancel: requested while it runs on ${running.assignment?.node}`,
  );
  // The leader cancels on its next tick, and the runner aborts the handler.
  await waitForTask(ctx, cancelTarget.taskId, (t) => t.status === 'cancelled', 'to be cancelled');
  return { ids: [...work.map((t) => t.taskId), cancelTarget.taskId], cancelId: cancelTarget.taskId };
}

async function waitForTask(
  ctx: DemoContext,
  taskId: string,
  test: (task: Task) => boolean,
  what: string,
): Promise<Task> {
  return waitUntil(
    async () => {
      assertNoUnexpectedExit(ctx);
      const task = (await ctx.board.refresh())?.tasks.find((t) => t.taskId === taskId);
      return task !== undefined && test(task) ? task : undefined;
    },
    { what: `task ${shortId(taskId)} ${what}`, timeoutMs: ctx.bound(30_000), signal: ctx.signal },
  );
}
