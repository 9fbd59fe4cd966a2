/**
 * The tasks the demo submits: quick `noop`s, `sleep`s that report progress in steps (long enough to
 * be running when the leader is killed), a `fail` that retries with backoff until its attempts are
 * spent, and one long `sleep` that the demo cancels while it runs.
 */

/** A submission as POST /v1/tasks takes it. */
export interface DemoSubmission {
  readonly type: string;
  readonly payload: unknown;
  readonly maxAttempts?: number;
  readonly backoff?: { readonly initialMs: number; readonly multiplier: number; readonly maxMs: number };
}

export const NOOP_COUNT = 6;
export const SLEEP_COUNT = 8;
/** Each sleep reports progress this often. */
export const SLEEP_STEP_MS = 500;
export const FAIL_ATTEMPTS = 3;
export const FAIL_BACKOFF = { initialMs: 1_000, multiplier: 2, maxMs: 4_000 } as const;

/** The work: noops, sleeps of 4 to 7.5 s in 0.5 s steps, and a failing task with retries. */
export function demoWork(): DemoSubmission[] {
  const noops = Array.from({ length: NOOP_COUNT }, (_, i) => ({ type: 'noop', payload: { demo: i + 1 } }));
  const sleeps = Array.from({ length: SLEEP_COUNT }, (_, i) => {
    const ms = 4_000 + i * 500;
    return { type: 'sleep', payload: { ms, steps: ms / SLEEP_STEP_MS } };
  });
  const fail = {
    type: 'fail',
    payload: { message: 'failed on purpose, to show retries' },
    maxAttempts: FAIL_ATTEMPTS,
    backoff: FAIL_BACKOFF,
  };
  return [...noops, ...sleeps, fail];
}

/** A sleep long enough to still be running when the demo cancels it. */
export function taskToCancel(): DemoSubmission {
  return { type: 'sleep', payload: { ms: 120_000, steps: 240 } };
}

/** One line saying what was submitted. */
export function describeWork(): string {
  return [
    `${NOOP_COUNT} noop`,
    `${SLEEP_COUNT} sleep (4-7.5 s, progress every ${SLEEP_STEP_MS} ms)`,
    `1 fail (${FAIL_ATTEMPTS} attempts, backoff ${FAIL_BACKOFF.initialMs / 1000} s x${FAIL_BACKOFF.multiplier})`,
    '1 long sleep to cancel',
  ].join(', ');
}
