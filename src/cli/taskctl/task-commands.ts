/** taskctl submit, get, list, cancel. */
import type { Command } from 'commander';
import type { Task } from '../../domain/task/state.ts';
import { type CommandContext, print } from './context.ts';
import { jsonValue, wholeNumber } from './options.ts';
import { formatTaskDetail, formatTaskTable } from './task-format.ts';

interface SubmitOptions {
  payload?: unknown;
  idempotencyKey?: string;
  maxAttempts?: number;
  timeoutMs?: number;
}

/** Adds the task commands to `program`. */
export function registerTaskCommands(program: Command, context: () => CommandContext): void {
  program
    .command('submit <type>')
    .description('submit a task of this type')
    .option('--payload <json>', 'the task payload, as JSON', jsonValue)
    .option('--idempotency-key <key>', 'submit at most once per key: a repeat returns the first task')
    .option('--max-attempts <n>', 'attempts before the task fails', wholeNumber())
    .option('--timeout-ms <n>', 'time limit of each attempt', wholeNumber())
    .action(async (type: string, options: SubmitOptions) => {
      const ctx = context();
      const body = {
        type,
        ...(options.payload !== undefined && { payload: options.payload }),
        ...(options.idempotencyKey !== undefined && { idempotencyKey: options.idempotencyKey }),
        ...(options.maxAttempts !== undefined && { maxAttempts: options.maxAttempts }),
        ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
      };
      const answer = await ctx.client.request<{ task: Task; created: boolean }>('POST', '/v1/tasks', body);
      print(ctx, answer, () =>
        answer.created
          ? `submitted ${answer.task.taskId} (${answer.task.type}, ${answer.task.status})\n`
          : `${answer.task.taskId} was already submitted with idempotency key ${JSON.stringify(options.idempotencyKey)} (${answer.task.status})\n`,
      );
    });

  program
    .command('get <id>')
    .description('show one task')
    .action(async (id: string) => {
      const ctx = context();
      const answer = await ctx.client.request<{ task: Task }>('GET', `/v1/tasks/${encodeURIComponent(id)}`);
      print(ctx, answer, () => formatTaskDetail(answer.task));
    });

  program
    .command('list')
    .description('list tasks, oldest first')
    .option('--state <state>', 'only tasks in this state (pending, running, succeeded, failed, ...)')
    .option('--node <node>', 'only tasks assigned to this node')
    .option('--limit <n>', 'at most this many (server default 100, at most 1000)', wholeNumber())
    .action(async (options: { state?: string; node?: string; limit?: number }) => {
      const ctx = context();
      const query = new URLSearchParams();
      if (options.state !== undefined) query.set('state', options.state);
      if (options.node !== undefined) query.set('node', options.node);
      if (options.limit !== undefined) query.set('limit', String(options.limit));
      const suffix = query.size === 0 ? '' : `?${query}`;
      const answer = await ctx.client.request<{ tasks: Task[] }>('GET', `/v1/tasks${suffix}`);
      print(ctx, answer, () => formatTaskTable(answer.tasks));
    });

  program
    .command('cancel <id>')
    .description('ask for a task to be cancelled')
    .option('--reason <text>', 'why, kept with the task')
    .action(async (id: string, options: { reason?: string }) => {
      const ctx = context();
      const body = options.reason === undefined ? {} : { reason: options.reason };
      const path = `/v1/tasks/${encodeURIComponent(id)}/cancel`;
      const answer = await ctx.client.request<{ task: Task }>('POST', path, body);
      print(ctx, answer, () => `cancel requested for ${answer.task.taskId} (${answer.task.status})\n`);
    });
}
