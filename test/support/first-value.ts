import { filter, firstValueFrom, type Observable, throwError, timeout } from 'rxjs';

export interface FirstValueOptions<T> {
  /** Names what is awaited, for the error message. */
  readonly what: string;
  /** Default 20 000 ms. */
  readonly timeoutMs?: number;
  /** Only a value that matches counts; default: the first value. */
  readonly match?: (value: T) => boolean;
}

/** The minimal EventEmitter surface (node's EventEmitter, node-zookeeper-client's Client, a child process). */
export interface EventSource {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  removeListener(event: string, listener: (...args: unknown[]) => void): unknown;
}

/**
 * Resolves with the first argument of the first `event` that matches, within a bound; the listener
 * is removed either way. Call it before the action that triggers the event.
 */
export function waitForEvent<T = unknown>(
  source: EventSource,
  event: string,
  options: FirstValueOptions<T>,
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  return new Promise<T>((resolve, reject) => {
    const listener = (value: T) => {
      if (options.match && !options.match(value)) return;
      done();
      resolve(value);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${options.what} ('${event}' event)`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      source.removeListener(event, listener as (...args: unknown[]) => void);
    };
    source.on(event, listener as (...args: unknown[]) => void);
  });
}

/** Resolves with the first value of `source$` that matches, within a bound; unsubscribes either way. */
export function firstValue<T>(source$: Observable<T>, options: FirstValueOptions<T>): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  return firstValueFrom(
    source$.pipe(
      filter((value) => !options.match || options.match(value)),
      timeout({
        first: timeoutMs,
        with: () =>
          throwError(() => new Error(`timed out after ${timeoutMs} ms waiting for ${options.what}`)),
      }),
    ),
  );
}
