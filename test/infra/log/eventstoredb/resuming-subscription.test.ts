import type { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, TaskdError } from '../../../../src/errors.ts';
import {
  backoffMs,
  DEFAULT_RESUBSCRIBE,
  type ResubscribeOptions,
  resumingSubscription,
} from '../../../../src/infra/log/eventstoredb/resuming-subscription.ts';

interface Item {
  readonly position: number;
}

const values: Record<string, Item> = { a: { position: 10 }, b: { position: 20 }, c: { position: 30 } };
const unavailable = new TaskdError(ErrorCodes.LOG_UNAVAILABLE, 'connection dropped');
const corrupt = new TaskdError(ErrorCodes.LOG_CORRUPT, 'bad position');

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

function options(
  testScheduler: TestScheduler,
  overrides: Partial<ResubscribeOptions> = {},
): ResubscribeOptions {
  return {
    ...DEFAULT_RESUBSCRIBE,
    initialDelayMs: 10,
    maxDelayMs: 40,
    scheduler: testScheduler,
    ...overrides,
  };
}

describe('resumingSubscription', () => {
  it('reopens after the last position seen when the connection drops, with no loss and no duplicate', () => {
    const testScheduler = scheduler();
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold('a-b-#', values, unavailable);
      // The server starts inclusively: the reopened subscription hands back b again.
      const second = cold('b-c-', values);
      const asked: Array<number | undefined> = [];
      const open = (after: number | undefined): Observable<Item> => {
        asked.push(after);
        return asked.length === 1 ? first : second;
      };

      expectObservable(resumingSubscription(open, undefined, options(testScheduler))).toBe(
        'a-b 13ms c',
        values,
      );
      expectSubscriptions(first.subscriptions).toBe('^---!');
      expectSubscriptions(second.subscriptions).toBe('14ms ^');
      testScheduler.flush();
      expect(asked).toEqual([undefined, 20]);
    });
  });

  it('opens at the position asked for and drops what the server sends at or before it', () => {
    const testScheduler = scheduler();
    testScheduler.run(({ cold, expectObservable }) => {
      const asked: Array<number | undefined> = [];
      const open = (after: number | undefined): Observable<Item> => {
        asked.push(after);
        return cold('a-b-c', values);
      };
      expectObservable(resumingSubscription(open, 20, options(testScheduler))).toBe('----c', values);
      testScheduler.flush();
      expect(asked).toEqual([20]);
    });
  });

  it('ends at once with any error other than unavailability', () => {
    const testScheduler = scheduler();
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold('a-#', values, corrupt);
      expectObservable(resumingSubscription(() => source, undefined, options(testScheduler))).toBe(
        'a-#',
        values,
        corrupt,
      );
    });
  });

  it('gives up with LOG_UNAVAILABLE after the allowed consecutive failures, backing off between them', () => {
    const testScheduler = scheduler();
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('#', values, unavailable);
      const resumed = resumingSubscription(
        () => source,
        undefined,
        options(testScheduler, { maxAttempts: 2 }),
      );
      // Fails at 0, waits 10, fails at 10, waits 20, fails at 30: two reopenings spent.
      expectObservable(resumed).toBe('30ms #', values, unavailable);
      expectSubscriptions(source.subscriptions).toBe(['(^!)', '10ms (^!)', '30ms (^!)']);
    });
  });

  it('unsubscribes the underlying subscription when its subscriber leaves', () => {
    const testScheduler = scheduler();
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b-c-', values);
      expectObservable(
        resumingSubscription(() => source, undefined, options(testScheduler)),
        '^--!',
      ).toBe('a-b', values);
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('stops waiting to reopen when its subscriber leaves during the backoff', () => {
    const testScheduler = scheduler();
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a#', values, unavailable);
      expectObservable(
        resumingSubscription(() => source, undefined, options(testScheduler)),
        '^----!',
      ).toBe('a', values);
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
  });
});

describe('backoffMs', () => {
  it('doubles from the first delay up to the ceiling', () => {
    const limits = { initialDelayMs: 100, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffMs(attempt, limits))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });
});
