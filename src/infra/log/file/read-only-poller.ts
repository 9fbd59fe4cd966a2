/**
 * Live events for a read-only opener: nobody pushes them, so the file is polled, and only while
 * someone is subscribed: an idle reader holds no timer.
 */
import { Observable } from 'rxjs';

/** Runs `tick` every `intervalMs` while at least one subscriber listens. */
export class ReadOnlyPoller {
  private timer: NodeJS.Timeout | undefined;
  private subscribers = 0;
  private stopped = false;
  private ticking = false;

  constructor(
    private readonly intervalMs: number,
    private readonly tick: () => Promise<void>,
  ) {}

  /** `source$`, polling for as long as any subscription to it is open. */
  whileSubscribed<T>(source$: Observable<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      const subscription = source$.subscribe(subscriber);
      this.subscribers += 1;
      if (this.timer === undefined && !this.stopped) {
        this.timer = setInterval(() => this.tickUnlessBusy(), this.intervalMs);
      }
      return () => {
        subscription.unsubscribe();
        this.subscribers -= 1;
        if (this.subscribers === 0) this.clear();
      };
    });
  }

  /** A slow scan (a big batch of new records) is not queued behind itself. */
  private tickUnlessBusy(): void {
    if (this.ticking) return;
    this.ticking = true;
    void this.tick().finally(() => {
      this.ticking = false;
    });
  }

  /** For good: no timer starts after this. */
  stop(): void {
    this.stopped = true;
    this.clear();
  }

  private clear(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
