/**
 * What an in-memory task log holds, shared by every client opened on it: so a test can open a second
 * writer or reopen after close, like a second process on a real store. Events are stored as their
 * JSON round trip, frozen, so a unit test sees what a real backend would give back.
 */
import { Subject } from 'rxjs';
import type { LoggedEvent } from '../port.ts';

export class MemoryStore {
  /** Every event in global order; position = index + 1. */
  readonly all: LoggedEvent[] = [];
  readonly streams = new Map<string, LoggedEvent[]>();
  /** Emits each event once it is stored, in position order. */
  readonly appended$ = new Subject<LoggedEvent>();
  private readonly unpublished: LoggedEvent[] = [];
  private publishing = false;

  /** Events in stream `stream` (empty when it does not exist). */
  streamEvents(stream: string): readonly LoggedEvent[] {
    return this.streams.get(stream) ?? [];
  }

  /** Stores events that already carry their revision and position, then announces them. */
  commit(stream: string, events: readonly LoggedEvent[]): void {
    const inStream = this.streams.get(stream) ?? [];
    this.streams.set(stream, inStream);
    for (const event of events) {
      inStream.push(event);
      this.all.push(event);
    }
    // A subscriber may append while it is told of an event: queue, so every event is announced
    // after those before it (a nested append must not overtake the rest of the batch).
    this.unpublished.push(...events);
    if (this.publishing) return;
    this.publishing = true;
    try {
      for (let event = this.unpublished.shift(); event !== undefined; event = this.unpublished.shift()) {
        this.appended$.next(event);
      }
    } finally {
      this.publishing = false;
    }
  }

  /** Index in `all` of the first event with a position greater than `after`. */
  firstIndexAfter(after: number | undefined): number {
    if (after === undefined) return 0;
    return Math.min(this.all.length, Math.max(0, Math.floor(after)));
  }
}

/** A fresh, empty store to open clients on. */
export function createMemoryStore(): MemoryStore {
  return new MemoryStore();
}

/** JSON round trip, then deep freeze: what a serialising backend would return. */
export function frozenCopy<T>(value: T): T {
  if (value === undefined) return value;
  return deepFreeze(JSON.parse(JSON.stringify(value)) as T);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
