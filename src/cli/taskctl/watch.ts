/**
 * taskctl watch [id]: polls and prints each change until the task (or, without an id, every listed
 * task) is finished, or until Ctrl-C. The interval is bounded so that a watch cannot hammer the API.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { isFinished, type Task } from '../../domain/task/state.ts';
import type { CommandContext } from './context.ts';
import { InterruptedError } from './exit-codes.ts';
import { wholeNumber } from './options.ts';
import { changeKey, formatTaskChange } from './task-format.ts';

export const WATCH_INTERVAL = { defaultMs: 1_000, minMs: 100, maxMs: 60_000 } as const;
/** Without an id, watch follows the first page of the list: the API's largest. */
const WATCH_LIST_LIMIT = 1_000;

/** Adds `watch` to `program`. */
export function registerWatchCommand(program: Command, context: () => CommandContext): void {
  program
    .command('watch [id]')
    .description('print task changes until the task(s) finish (Ctrl-C stops)')
    .option(
      '--interval-ms <n>',
      `time between polls (${WATCH_INTERVAL.minMs}-${WATCH_INTERVAL.maxMs})`,
      wholeNumber(WATCH_INTERVAL.minMs, WATCH_INTERVAL.maxMs),
      WATCH_INTERVAL.defaultMs,
    )
    .action(async (id: string | undefined, options: { intervalMs: number }) => {
      try {
        await watchTasks(context(), id, options.intervalMs);
      } catch (error) {
        // Ctrl-C is how a watch is meant to end.
        if (!(error instanceof InterruptedError)) throw error;
      }
    });
}

async function watchTasks(ctx: CommandContext, id: string | undefined, intervalMs: number): Promise<void> {
  const seen = new Map<string, string>();
  for (;;) {
    const tasks = await poll(ctx, id);
    for (const task of tasks) {
      const key = changeKey(task);
      if (seen.get(task.taskId) === key) continue;
      seen.set(task.taskId, key);
      ctx.stdout.write(ctx.json ? `${JSON.stringify(task)}\n` : formatTaskChange(task, new Date()));
    }
    if (tasks.every(isFinished)) {
      if (tasks.length === 0 && !ctx.json) ctx.stdout.write('no tasks\n');
      return;
    }
    try {
      await sleep(intervalMs, undefined, ctx.signal && { signal: ctx.signal });
    } catch {
      return; // aborted by Ctrl-C
    }
  }
}

async function poll(ctx: CommandContext, id: string | undefined): Promise<Task[]> {
  if (id !== undefined) {
    const answer = await ctx.client.request<{ task: Task }>('GET', `/v1/tasks/${encodeURIComponent(id)}`);
    return [answer.task];
  }
  const answer = await ctx.client.request<{ tasks: Task[] }>('GET', `/v1/tasks?limit=${WATCH_LIST_LIMIT}`);
  return answer.tasks;
}
