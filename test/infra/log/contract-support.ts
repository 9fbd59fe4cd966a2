/** What the EventLog contract suite (contract.ts) uses to watch subscriptions and check results. */
import fc from 'fast-check';
import type { Subscription } from 'rxjs';
import { expect } from 'vitest';
import { ErrorCodes } from '../../../src/errors.ts';
import { batchBytes } from '../../../src/infra/log/batch-size.ts';
import {
  type EventLog,
  type EventToAppend,
  type ExpectedRevision,
  ExpectedRevisionConflict,
  type LoggedEvent,
} from '../../../src/infra/log/port.ts';

/** Keeps what a subscription emits, with bounded waits on it. */
export class Watcher {
  readonly seen: LoggedEvent[] = [];
  completed = false;
  failed: unknown;
  tornDown = false;
  private subscription: Subscription | undefined;
  private readonly changed = new Set<() => void>();

  constructor(
    private readonly waitMs: number,
    private readonly keep: (event: LoggedEvent) => boolean,
  ) {}

  attach(log: EventLog, after?: number): Subscription {
    this.subscription = log.subscribeAll(after).subscribe({
      next: (event) => {
        if (this.keep(event)) this.seen.push(event);
        this.notify();
      },
      error: (error: unknown) => {
        this.failed = error;
        this.notify();
      },
      complete: () => {
        this.completed = true;
        this.notify();
      },
    });
    this.subscription.add(() => {
      this.tornDown = true;
    });
    return this.subscription;
  }

  unsubscribe(): void {
    this.subscription?.unsubscribe();
  }

  waitForCount(count: number): Promise<void> {
    return this.until(`${count} events`, () => this.seen.length >= count);
  }

  /** Waits for `types` and checks they are exactly what was seen, in order. */
  async waitForTypes(types: readonly string[]): Promise<void> {
    await this.waitForCount(types.length);
    expect(this.seen.map((e) => e.type)).toEqual(types);
  }

  waitForEnd(): Promise<void> {
    return this.until('the end of the subscription', () => this.completed || this.failed !== undefined);
  }

  private until(what: string, done: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.failed !== undefined && !done())
          finish(new Error(`subscription failed: ${String(this.failed)}`));
        else if (done()) finish(undefined);
      };
      const timer = setTimeout(
        () =>
          finish(
            new Error(`waited ${this.waitMs} ms for ${what}; saw ${this.seen.map((e) => e.type).join(',')}`),
          ),
        this.waitMs,
      );
      const finish = (error: Error | undefined): void => {
        clearTimeout(timer);
        this.changed.delete(check);
        if (error === undefined) resolve();
        else reject(error);
      };
      this.changed.add(check);
      check();
    });
  }

  private notify(): void {
    for (const check of [...this.changed]) check();
  }
}

/** A small event whose data and time say which one it is. */
export function event(type: string, n: number): EventToAppend {
  return {
    type,
    version: 1,
    data: { n },
    meta: { node: 'contract', incarnation: 1, at: 1_700_000_000_000 + n },
  };
}

/** Any event a caller may append: with or without an id, any JSON as data. */
export const anEventToAppend = fc.record(
  {
    id: fc.oneof(fc.string({ minLength: 1 }), fc.constant(undefined)),
    type: fc.string(),
    version: fc.integer(),
    data: fc.jsonValue(),
    meta: fc.record({ node: fc.string(), incarnation: fc.nat(), at: fc.integer() }),
  },
  { requiredKeys: ['type', 'version', 'data', 'meta'] },
);

/** Four events whose batchBytes() is exactly `bytes` (each "x" of padding is one byte). */
export function batchOfBytes(bytes: number): EventToAppend[] {
  const bare = Array.from({ length: 4 }, (_, i) => ({ ...event(`Big${i}`, i), data: { pad: '' } }));
  const extra = bytes - batchBytes(bare);
  const share = Math.floor(extra / bare.length);
  return bare.map((e, i) => {
    const pad = i === bare.length - 1 ? extra - share * (bare.length - 1) : share;
    return { ...e, data: { pad: 'x'.repeat(pad) } };
  });
}

/** Everything an async iterable of events gives. */
export async function collect(events: AsyncIterable<LoggedEvent>): Promise<LoggedEvent[]> {
  const all: LoggedEvent[] = [];
  for await (const e of events) all.push(e);
  return all;
}

/** Asserts the append fails with ExpectedRevisionConflict carrying exactly these values. */
export async function expectConflict(
  append: Promise<unknown>,
  stream: string,
  expected: ExpectedRevision,
  actual: number | 'no_stream',
): Promise<void> {
  const failure = await append.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure, `expected ${String(expected)} on "${stream}" should conflict`).toBeInstanceOf(
    ExpectedRevisionConflict,
  );
  expect(failure).toMatchObject({ code: ErrorCodes.EXPECTED_REVISION_CONFLICT, stream, expected, actual });
}

export function expectStrictlyGrowing(values: readonly number[]): void {
  for (let i = 1; i < values.length; i++) {
    expect(values[i], `position at index ${i}`).toBeGreaterThan(values[i - 1] as number);
  }
}
