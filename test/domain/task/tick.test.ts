import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  decideTick,
  getTask,
  jitterFor,
  TaskAnomalies,
} from '../../../src/domain/task/index.ts';
import {
  assigned,
  epochStarted,
  exhausted,
  failed,
  interrupted,
  LEADER,
  ref,
  requeued,
  retired,
  started,
  submitted,
  succeeded,
  T0,
  timedOut,
} from './fixtures.ts';
import { given } from './given.ts';

const tick = (now: number, more: object = {}) => ({ ...LEADER, now, jitter: 0.7, ...more });
const backoff = { initialMs: 1_000, multiplier: 2, maxMs: 60_000 };

describe('decideTick: deadlines', () => {
  const running = [
    epochStarted(1),
    submitted('t1', { timeoutMs: 100 }),
    assigned('t1', { deadline: T0 + 100 }),
    started(ref('t1')),
  ];

  it('times out an attempt whose deadline has passed', () => {
    given(...running)
      .when(decideTick, tick(T0 + 100))
      .then([timedOut('t1', 1)]);
  });

  it('leaves an attempt before its deadline alone', () => {
    given(...running)
      .when(decideTick, tick(T0 + 99))
      .thenNothing();
  });

  it('never times out a task without a timeout', () => {
    given(epochStarted(1), submitted('t1'), assigned('t1'))
      .when(decideTick, tick(T0 + 10 ** 9))
      .thenNothing();
  });
});

describe('decideTick: retries', () => {
  it('requeues a retryable failure after the backoff of the failed attempt', () => {
    const notBefore = T0 + 5 + backoffDelay(backoff, 1, jitterFor(0.7, 't1'));
    given(epochStarted(1), submitted('t1'), assigned('t1'), failed(ref('t1'), true))
      .when(decideTick, tick(T0 + 5))
      .then([requeued('t1', 2, notBefore)]);
  });

  it('backs off longer after a later attempt', () => {
    const second = ref('t1', { attempt: 2 });
    const events = [
      epochStarted(1),
      submitted('t1'),
      assigned('t1'),
      failed(ref('t1'), true),
      requeued('t1', 2, T0),
      assigned('t1', { attempt: 2 }),
      failed(second, true),
    ];
    const notBefore = T0 + backoffDelay(backoff, 2, jitterFor(0.7, 't1'));
    given(...events)
      .when(decideTick, tick(T0))
      .then([requeued('t1', 3, notBefore)]);
  });

  it('requeues an interrupted task left by a leader that stopped half-way', () => {
    const notBefore = T0 + backoffDelay(backoff, 1, jitterFor(0.7, 't1'));
    given(epochStarted(1), submitted('t1'), assigned('t1'), interrupted('t1', 1, 'gone'))
      .when(decideTick, tick(T0))
      .then([requeued('t1', 2, notBefore)]);
  });

  it('fails an interrupted task for good when its attempts are spent', () => {
    given(epochStarted(1), submitted('t1', { maxAttempts: 1 }), assigned('t1'), interrupted('t1', 1, 'gone'))
      .when(decideTick, tick(T0))
      .then([exhausted('t1', 1, '1 of 1 attempts spent; last: gone')]);
  });
});

describe('decideTick: retention', () => {
  const done = (retention: object = {}) => [
    epochStarted(1),
    submitted('t1', retention),
    assigned('t1'),
    succeeded(ref('t1'), undefined, T0 + 1_000),
  ];

  it('retires a finished task once its own retention has passed', () => {
    given(...done({ retentionMs: 500 }))
      .when(decideTick, tick(T0 + 1_499))
      .thenNothing();
    given(...done({ retentionMs: 500 }))
      .when(decideTick, tick(T0 + 1_500))
      .then([retired('t1')]);
  });

  it('uses the default retention for a task that set none', () => {
    given(...done())
      .when(decideTick, tick(T0 + 1_999, { defaultRetentionMs: 1_000 }))
      .thenNothing();
    given(...done())
      .when(decideTick, tick(T0 + 2_000, { defaultRetentionMs: 1_000 }))
      .then([retired('t1')]);
  });

  it('retires every kind of finished task', () => {
    const events = [
      epochStarted(1),
      submitted('ok', { retentionMs: 0 }),
      submitted('ko', { retentionMs: 0 }),
      submitted('late', { retentionMs: 0 }),
      assigned('ok'),
      succeeded(ref('ok')),
      assigned('ko'),
      failed(ref('ko'), false),
      assigned('late'),
      timedOut('late', 1),
    ];
    given(...events)
      .when(decideTick, tick(T0))
      .then([retired('ok'), retired('ko'), retired('late')]);
  });

  it('removes a retired task from the live map and counts it', () => {
    given(...done({ retentionMs: 0 }), retired('t1')).thenState((state) => {
      expect(getTask(state, 't1')).toBeUndefined();
      expect(state.tasks.size).toBe(0);
      expect(state.retiredCount).toBe(1);
    });
  });

  it('never retires an unfinished task', () => {
    given(epochStarted(1), submitted('t1', { retentionMs: 0 }), assigned('t1'))
      .when(decideTick, tick(T0 + 10 ** 9))
      .thenNothing();
    const g = given(epochStarted(1), submitted('t1'), retired('t1'));
    g.thenTask('t1', { status: 'pending' });
    g.thenAnomaly(TaskAnomalies.invalidTransition);
  });
});

describe('decideTick', () => {
  it('decides nothing for a leader whose epoch is not the latest', () => {
    given(epochStarted(1), submitted('t1'), assigned('t1'), failed(ref('t1'), true), epochStarted(2, 'n9'))
      .when(decideTick, tick(T0))
      .thenNothing();
  });

  it('goes through tasks oldest first', () => {
    const events = [
      epochStarted(1),
      submitted('b', { retentionMs: 0 }),
      submitted('a', { retentionMs: 0 }),
      assigned('a'),
      succeeded(ref('a')),
      assigned('b'),
      succeeded(ref('b')),
    ];
    given(...events)
      .when(decideTick, tick(T0))
      .then([retired('b'), retired('a')]);
  });
});
