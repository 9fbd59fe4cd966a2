/**
 * The tasks a chaos run submits: `noop`, `sleep` 200–1500 ms, `fail` retryable or not, each with an
 * idempotency key so that a submission whose reply was lost can be sent again to another node.
 */
import type { SeededRandom } from './seeded-random.ts';

export interface TaskSpec {
  readonly type: 'noop' | 'sleep' | 'fail';
  readonly payload: Record<string, unknown>;
  readonly idempotencyKey: string;
  readonly maxAttempts: number;
  readonly backoff: { readonly initialMs: number; readonly multiplier: number; readonly maxMs: number };
}

/** Short retries, so that a run drains in seconds. */
const BACKOFF = { initialMs: 200, multiplier: 2, maxMs: 1_000 } as const;
/** Enough attempts that a task survives the interruptions of a busy schedule. */
const ATTEMPTS_FOR_WORK = 8;

/** The `index`-th task of run `runKey`. */
export function taskSpec(random: SeededRandom, runKey: string, index: number): TaskSpec {
  const idempotencyKey = `${runKey}-${index}`;
  const roll = random.next();
  if (roll < 0.3) {
    return {
      type: 'noop',
      payload: { index },
      idempotencyKey,
      maxAttempts: ATTEMPTS_FOR_WORK,
      backoff: BACKOFF,
    };
  }
  if (roll < 0.75) {
    const ms = random.int(200, 1_500);
    return {
      type: 'sleep',
      payload: { ms },
      idempotencyKey,
      maxAttempts: ATTEMPTS_FOR_WORK,
      backoff: BACKOFF,
    };
  }
  const retryable = random.chance(0.5);
  return {
    type: 'fail',
    payload: { message: `chaos failure ${index}`, retryable },
    idempotencyKey,
    maxAttempts: retryable ? random.int(2, 3) : random.int(1, 2),
    backoff: BACKOFF,
  };
}

/**
 * The statuses a task of this spec may end in, given whether a cancel was accepted for it. Work that
 * cannot fail may not end failed: eight interrupted attempts would be a fault of its own.
 */
export function allowedEnds(spec: TaskSpec, cancelAccepted: boolean): readonly string[] {
  const ends = spec.type === 'fail' ? ['failed'] : ['succeeded'];
  return cancelAccepted ? [...ends, 'cancelled'] : ends;
}
