/**
 * subscribeAll across connection loss. EventStoreDB's catch-up subscription delivers history then live
 * events, but it dies with the connection. This reopens it after the last position delivered, with
 * backoff, whenever it fails with LOG_UNAVAILABLE; any other error ends the stream.
 *
 * No loss: each reopening starts at the last position seen, not the one first asked for. No duplicate:
 * the server may hand back the event AT that position (its start is inclusive), and anything at or
 * before the last position seen is dropped.
 */
import {
  asyncScheduler,
  defer,
  filter,
  type Observable,
  retry,
  type SchedulerLike,
  tap,
  throwError,
  timer,
} from 'rxjs';
import { ErrorCodes, hasCode } from '../../../errors.ts';
import { isAfter } from './positions.ts';

export interface ResubscribeOptions {
  /** Wait before the first reopening; doubles on each consecutive failure. Default 100 ms. */
  readonly initialDelayMs: number;
  /** Ceiling of the wait. Default 5 000 ms. */
  readonly maxDelayMs: number;
  /**
   * Consecutive failures (with no item delivered between them) before LOG_UNAVAILABLE reaches the
   * subscriber. Default: unbounded; the log is the source of truth and there is nothing better to do
   * than wait for it, while health is reported elsewhere.
   */
  readonly maxAttempts: number;
  /** Where the backoff timers run; tests pass a TestScheduler. */
  readonly scheduler: SchedulerLike;
}

export const DEFAULT_RESUBSCRIBE: ResubscribeOptions = {
  initialDelayMs: 100,
  maxDelayMs: 5_000,
  maxAttempts: Number.POSITIVE_INFINITY,
  scheduler: asyncScheduler,
};

/** Items from `open(after)`, reopened after the last item's position whenever it fails with LOG_UNAVAILABLE. */
export function resumingSubscription<T extends { readonly position: number }>(
  open: (after: number | undefined) => Observable<T>,
  after: number | undefined,
  options: ResubscribeOptions = DEFAULT_RESUBSCRIBE,
): Observable<T> {
  return defer(() => {
    let last = after;
    return defer(() => open(last)).pipe(
      filter((item) => isAfter(item.position, last)),
      tap((item) => {
        last = item.position;
      }),
      retry({
        count: options.maxAttempts,
        resetOnSuccess: true,
        delay: (error: unknown, attempt: number) =>
          hasCode(error, ErrorCodes.LOG_UNAVAILABLE)
            ? timer(backoffMs(attempt, options), options.scheduler)
            : throwError(() => error),
      }),
    );
  });
}

/** Wait before reopening attempt `attempt` (1-based): doubling from the initial delay, capped. */
export function backoffMs(
  attempt: number,
  options: Pick<ResubscribeOptions, 'initialDelayMs' | 'maxDelayMs'>,
): number {
  return Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** Math.max(0, attempt - 1));
}
