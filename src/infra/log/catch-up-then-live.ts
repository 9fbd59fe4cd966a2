/**
 * subscribeAll's core for backends that can read history and also push new events in position order
 * (memory, file): listen to live events FIRST, buffering them, then read history, then drain the
 * buffer. Every event is emitted once, in position order: anything seen twice (in history and in the
 * buffer) is dropped by position. Nothing is lost, because the live listener exists before the read.
 */
import { Observable } from 'rxjs';
import type { LoggedEvent } from './port.ts';

/** Catch-up from `after` through `readAfter`, then live from `live$`; completes when `live$` completes. */
export function catchUpThenLive(
  readAfter: (after: number | undefined) => AsyncIterable<LoggedEvent>,
  live$: Observable<LoggedEvent>,
  after: number | undefined,
): Observable<LoggedEvent> {
  return new Observable<LoggedEvent>((subscriber) => {
    let last = after;
    let caughtUp = false;
    let liveEnded = false;
    const buffered: LoggedEvent[] = [];
    const emit = (event: LoggedEvent): void => {
      if (last !== undefined && event.position <= last) return;
      last = event.position;
      subscriber.next(event);
    };
    const liveSubscription = live$.subscribe({
      next: (event) => {
        if (caughtUp) emit(event);
        else buffered.push(event);
      },
      error: (error: unknown) => subscriber.error(error),
      // Completing before catch-up ends means the log closed: what is buffered is still delivered.
      complete: () => {
        liveEnded = true;
        if (caughtUp) subscriber.complete();
      },
    });
    const catchUp = async (): Promise<void> => {
      try {
        for await (const event of readAfter(after)) {
          if (subscriber.closed) return;
          emit(event);
        }
      } catch (error) {
        // A read cut short by close is not an error: the subscription just ends.
        if (!liveEnded) {
          subscriber.error(error);
          return;
        }
      }
      // Drain until empty: a subscriber may append while it is told of a buffered event, and what that
      // append announces lands in the buffer behind the rest.
      for (let event = buffered.shift(); event !== undefined; event = buffered.shift()) {
        if (subscriber.closed) return;
        emit(event);
      }
      caughtUp = true;
      if (liveEnded) subscriber.complete();
    };
    void catchUp();
    return () => liveSubscription.unsubscribe();
  });
}
