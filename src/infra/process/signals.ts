/**
 * Process signals as an observable. The handler only pushes a value: everything a signal causes
 * happens downstream, on the event loop, in the one owner of teardown (seed 002: a signal handler
 * must never stop or free anything itself).
 */
import { fromEventPattern, merge, type Observable } from 'rxjs';
import { map } from 'rxjs/operators';

export type StopSignal = 'SIGTERM' | 'SIGINT';

/** Emits each time one of `signals` arrives; the process handlers are removed on unsubscribe. */
export function signals$(
  signals: readonly StopSignal[],
  target: NodeJS.Process = process,
): Observable<StopSignal> {
  return merge(
    ...signals.map((signal) =>
      fromEventPattern<void>(
        (handler) => target.on(signal, handler as () => void),
        (handler) => target.off(signal, handler as () => void),
      ).pipe(map(() => signal)),
    ),
  );
}
