import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCodes, TaskdError } from '../../errors.ts';

export interface PollOptions {
  readonly timeoutMs: number;
  /** Names what is awaited, for the error: "server 2 to serve as leader or follower". */
  readonly what: string;
  readonly intervalMs?: number;
  /** Extra context for the timeout error, e.g. the tail of a server log. */
  readonly detail?: () => string;
}

/**
 * Calls `check` until it returns true; a throw from `check` ends the wait at once (fail fast).
 * Rejects with ZK_TIMEOUT naming `what` after `timeoutMs`.
 */
export async function pollUntil(
  check: () => boolean | Promise<boolean>,
  options: PollOptions,
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() >= deadline) {
      const detail = options.detail ? `\n${options.detail()}` : '';
      throw new TaskdError(
        ErrorCodes.ZK_TIMEOUT,
        `timed out after ${options.timeoutMs} ms waiting for ${options.what}${detail}`,
        { what: options.what, timeoutMs: options.timeoutMs },
      );
    }
    await sleep(options.intervalMs ?? 100);
  }
}
