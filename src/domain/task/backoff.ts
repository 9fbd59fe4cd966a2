/**
 * Delay before the next attempt: exponential, capped, with "equal jitter" so that tasks that failed
 * together do not all come back at the same instant. Randomness comes in as data (a number in [0, 1)).
 */
import type { BackoffPolicy } from './events.ts';
import { fnv1a } from './fnv1a.ts';

/** Delay in ms after attempt `failedAttempt` (1-based) ended: in [capped / 2, capped], capped ≤ maxMs. */
export function backoffDelay(policy: BackoffPolicy, failedAttempt: number, jitter: number): number {
  const exponent = Math.max(0, failedAttempt - 1);
  const grown = policy.initialMs * policy.multiplier ** exponent;
  // 0 × Infinity (a zero initial delay after very many attempts) is NaN: the delay is still 0.
  const capped = Number.isNaN(grown) ? 0 : Math.min(policy.maxMs, grown);
  return Math.round(capped * (0.5 + clampJitter(jitter) / 2));
}

/**
 * One random number for a whole decision, spread per task: tasks decided together still get
 * different delays, and the decision stays a pure function of its input.
 */
export function jitterFor(jitter: number, taskId: string): number {
  const spread = fnv1a(taskId) / 2 ** 32;
  return (clampJitter(jitter) + spread) % 1;
}

function clampJitter(jitter: number): number {
  if (!Number.isFinite(jitter) || jitter < 0) return 0;
  return jitter >= 1 ? 1 - Number.EPSILON : jitter;
}
