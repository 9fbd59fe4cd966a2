/**
 * Delivers session states to subscribers in order, each in its own microtask: never from inside the
 * library's socket handlers (a subscriber that reacts by calling the session would re-enter them).
 * After the terminal state is delivered, subscribers complete and nothing more is ever delivered.
 */
import { Observable, type Subscriber } from 'rxjs';
import { isTerminal } from './state-mapping.ts';
import type { SessionState } from './types.ts';

export class StateFeed {
  private delivered: SessionState;
  private sealed = false;
  private completed = false;
  private readonly subscribers = new Set<Subscriber<SessionState>>();
  private readonly internal: Array<(state: SessionState) => void> = [];

  /** The current state first, then every delivered change; completes after a terminal state. */
  readonly state$: Observable<SessionState>;

  constructor(initial: SessionState) {
    this.delivered = initial;
    this.state$ = new Observable<SessionState>((subscriber) => {
      subscriber.next(this.delivered);
      if (this.completed) {
        subscriber.complete();
        return undefined;
      }
      this.subscribers.add(subscriber);
      return () => {
        this.subscribers.delete(subscriber);
      };
    });
  }

  /** The last delivered state. */
  current(): SessionState {
    return this.delivered;
  }

  /** Runs `handler` on every delivery, before subscribers see it (the session's own bookkeeping). */
  onDelivery(handler: (state: SessionState) => void): void {
    this.internal.push(handler);
  }

  /** Queues a state; ignored once a terminal state was queued. */
  publish(state: SessionState): void {
    if (this.sealed) return;
    if (isTerminal(state.state)) this.sealed = true;
    queueMicrotask(() => this.deliver(state));
  }

  /** Resolves once everything published so far has been delivered. */
  flushed(): Promise<void> {
    return new Promise((resolve) => queueMicrotask(resolve));
  }

  private deliver(state: SessionState): void {
    this.delivered = state;
    for (const handler of this.internal) handler(state);
    const subscribers = [...this.subscribers];
    for (const subscriber of subscribers) subscriber.next(state);
    if (!isTerminal(state.state)) return;
    this.completed = true;
    this.subscribers.clear();
    for (const subscriber of subscribers) subscriber.complete();
  }
}
