/**
 * Bounds on waiting for a server that accepted the TCP connection but does not answer (SIGSTOPped,
 * overloaded, a half-open path). The client gives its calls no bound there: it asks the server for its
 * features without a deadline, and reads have none by design. Without these guards an append or a
 * read against such a server would wait forever instead of failing with LOG_UNAVAILABLE.
 */
import { ErrorCodes, TaskdError } from '../../../errors.ts';

/** The port's error for a server that did not answer in `ms`. */
export function stalledError(
  operation: string,
  ms: number,
  details: Record<string, unknown> = {},
): TaskdError {
  return new TaskdError(ErrorCodes.LOG_UNAVAILABLE, `eventstoredb ${operation}: no answer within ${ms} ms`, {
    operation,
    timeoutMs: ms,
    ...details,
  });
}

/**
 * `promise`, or a rejection with `onTimeout()` if it takes longer than `ms`. The work itself goes on
 * (an append cannot be recalled): its outcome is unknown to the caller, as with any timeout.
 */
export function withinMs<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  // Once timed out, a late rejection of the work has nobody to tell.
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A timer that fires `onStall` when armed for `ms` without being disarmed. */
export interface StallTimer {
  /** Starts waiting (again): call before awaiting the server. */
  arm(): void;
  /** Stops waiting: call when the server answered, and before handing control to a slow consumer. */
  disarm(): void;
}

/** A StallTimer for `ms`; fires at most once per arming. */
export function stallTimer(ms: number, onStall: () => void): StallTimer {
  let timer: NodeJS.Timeout | undefined;
  const disarm = (): void => {
    clearTimeout(timer);
    timer = undefined;
  };
  return {
    arm: () => {
      disarm();
      timer = setTimeout(onStall, ms);
    },
    disarm,
  };
}
