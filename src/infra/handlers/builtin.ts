/**
 * Built-in handlers for tests, benchmarks and demos: `noop` returns at once, `sleep` waits and can be
 * aborted, `fail` always fails (to exercise retries).
 */
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { TaskFailure, type TaskHandler } from './handler.ts';

export const noopHandler: TaskHandler = {
  type: 'noop',
  run: async (payload) => ({ echo: payload ?? null }),
};

const sleepPayload = z.object({
  ms: z.number().int().min(0).max(86_400_000),
  steps: z.number().int().min(1).max(1000).optional(),
});

export const sleepHandler: TaskHandler = {
  type: 'sleep',
  run: async (payload, { signal, progress }) => {
    const { ms, steps = 1 } = sleepPayload.parse(payload);
    for (let step = 1; step <= steps; step++) {
      try {
        await delay(ms / steps, undefined, { signal });
      } catch {
        throw new TaskFailure(`sleep aborted: ${String(signal.reason ?? 'abort')}`, false);
      }
      progress(step / steps);
    }
    return { sleptMs: ms };
  },
};

const failPayload = z
  .object({ message: z.string().max(1000).optional(), retryable: z.boolean().optional() })
  .optional();

export const failHandler: TaskHandler = {
  type: 'fail',
  run: async (payload) => {
    const parsed = failPayload.parse(payload) ?? {};
    throw new TaskFailure(parsed.message ?? 'failed on purpose', parsed.retryable ?? true);
  },
};
