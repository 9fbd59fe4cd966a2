import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitForOptions {
  /** Names what is awaited, for the error message: "the client to reconnect". */
  readonly what: string;
  /** Default 20 000 ms: real servers on a loaded 2-core machine are slow, and a bound only limits failures. */
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
}

type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

/**
 * Polls `probe` until it returns a truthy value and returns that value. A probe that throws counts
 * as "not yet" (a ZooKeeper call during a reconnect fails); the last error is named in the timeout.
 */
export async function waitFor<T>(probe: () => T | Promise<T>, options: WaitForOptions): Promise<Truthy<T>> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await withinDeadline(probe(), deadline);
      if (value) return value as Truthy<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError === undefined ? '' : ` (last error: ${String(lastError)})`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${options.what}${cause}`, {
        cause: lastError,
      });
    }
    await sleep(options.intervalMs ?? 50);
  }
}

/** A probe that never settles (a request queued on a disconnected client) must not outlive the bound. */
async function withinDeadline<T>(value: T | Promise<T>, deadline: number): Promise<T> {
  if (!(value instanceof Promise)) return value;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error('the probe did not settle in time')),
      Math.max(deadline - Date.now(), 1),
    );
  });
  try {
    return await Promise.race([value, late]);
  } finally {
    clearTimeout(timer);
  }
}
