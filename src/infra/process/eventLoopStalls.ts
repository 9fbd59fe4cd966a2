/**
 * Event-loop stalls as an observable. A timer that should fire every `intervalMs` measures how late it
 * is; a delay above `thresholdMs` is a stall. Seed 000 shows "Exceeded deadline by 2689ms" right before
 * a session was lost: the journal must say when the process itself was not running.
 */
import { Observable } from 'rxjs';

export interface EventLoopStall {
  readonly delayMs: number;
  readonly at: number;
}

export interface StallOptions {
  readonly intervalMs: number;
  readonly thresholdMs: number;
  readonly now?: () => number;
}

/** Emits a stall each time the loop was blocked for longer than the threshold. */
export function eventLoopStalls$({
  intervalMs,
  thresholdMs,
  now = Date.now,
}: StallOptions): Observable<EventLoopStall> {
  return new Observable<EventLoopStall>((subscriber) => {
    let expected = now() + intervalMs;
    const timer = setInterval(() => {
      const at = now();
      const delayMs = at - expected;
      expected = at + intervalMs;
      if (delayMs > thresholdMs) subscriber.next({ delayMs, at });
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  });
}
