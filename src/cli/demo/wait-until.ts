/**
 * The demo's one way to wait: poll a condition until it holds, within a bound that names what was
 * awaited, and give up at once when the demo is interrupted. No fixed sleeps stand in for a condition.
 */
import { setTimeout as delay } from 'node:timers/promises';

/** A bounded wait ran out; the message names what never happened. */
export class DemoTimeout extends Error {
  constructor(what: string, timeoutMs: number, detail?: string) {
    super(
      `timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${detail ? `: ${detail}` : ''}`,
    );
    this.name = 'DemoTimeout';
  }
}

export interface WaitOptions {
  /** Names what is awaited, for the error: "a new leader among n1, n3". */
  readonly what: string;
  readonly timeoutMs: number;
  /** Aborted on Ctrl-C / SIGTERM. */
  readonly signal: AbortSignal;
  readonly intervalMs?: number;
  /** What the last poll saw, for the timeout message. */
  readonly detail?: () => string | undefined;
}

type Present<T> = Exclude<T, undefined | null | false>;

/** Polls `probe` until it returns a value (not undefined/null/false) and returns it. */
export async function waitUntil<T>(probe: () => Promise<T> | T, options: WaitOptions): Promise<Present<T>> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    options.signal.throwIfAborted();
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value as Present<T>;
    if (Date.now() >= deadline) throw new DemoTimeout(options.what, options.timeoutMs, options.detail?.());
    await delay(options.intervalMs ?? 200, undefined, { signal: options.signal });
  }
}
