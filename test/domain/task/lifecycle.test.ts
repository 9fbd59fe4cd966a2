import { describe, expect, it } from 'vitest';
import { TaskAnomalies } from '../../../src/domain/task/index.ts';
import {
  assigned,
  epochStarted,
  exhausted,
  failed,
  interrupted,
  progressed,
  ref,
  requeued,
  started,
  submitted,
  succeeded,
  T0,
  timedOut,
} from './fixtures.ts';
import { given } from './given.ts';

const t1 = ref('t1');

describe('a submitted task', () => {
  it('is pending at attempt 1, due from its submission time', () => {
    given(submitted('t1', {}, T0 + 5)).thenTask('t1', {
      status: 'pending',
      attempt: 1,
      notBefore: T0 + 5,
      submittedAt: T0 + 5,
      seq: 1,
    });
  });

  it('keeps its options: type, payload, attempts, backoff, timeout, retention', () => {
    const options = {
      type: 'sleep',
      payload: { ms: 10 },
      maxAttempts: 5,
      backoff: { initialMs: 10, multiplier: 3, maxMs: 100 },
      timeoutMs: 500,
      retentionMs: 60_000,
    };
    given(submitted('t1', options)).thenTask('t1', options);
  });

  it('records a second submission with the same id as an anomaly and keeps the first', () => {
    const g = given(submitted('t1', { type: 'a' }), submitted('t1', { type: 'b' }));
    g.thenTask('t1', { type: 'a' });
    g.thenAnomaly(TaskAnomalies.duplicateTaskId);
  });
});

describe('the happy path', () => {
  it('goes pending → assigned → running → succeeded', () => {
    const g1 = given(epochStarted(1), submitted('t1'), assigned('t1', { deadline: T0 + 100 }, T0 + 1));
    g1.thenTask('t1', {
      status: 'assigned',
      assignment: {
        attempt: 1,
        epoch: 1,
        node: 'n1',
        incarnation: 1,
        assignedAt: T0 + 1,
        deadline: T0 + 100,
      },
    });
    const g2 = given(epochStarted(1), submitted('t1'), assigned('t1'), started(t1, T0 + 2));
    g2.thenTask('t1', { status: 'running', startedAt: T0 + 2 });
    const g3 = given(
      epochStarted(1),
      submitted('t1'),
      assigned('t1'),
      started(t1),
      succeeded(t1, { ok: 1 }, T0 + 9),
    );
    g3.thenTask('t1', { status: 'succeeded', finishedAt: T0 + 9, result: { ok: 1 } });
    expect(g3.state.anomalyCount).toBe(0);
  });

  it('records progress with its message', () => {
    given(
      epochStarted(1),
      submitted('t1'),
      assigned('t1'),
      started(t1),
      progressed(t1, 0.5, 'half'),
    ).thenTask('t1', {
      status: 'running',
      progress: 0.5,
      message: 'half',
    });
  });

  it('counts a progress report before any start as the start', () => {
    given(epochStarted(1), submitted('t1'), assigned('t1'), progressed(t1, 0.1, undefined, T0 + 3)).thenTask(
      't1',
      {
        status: 'running',
        startedAt: T0 + 3,
      },
    );
  });

  it('accepts a result reported without a start', () => {
    given(epochStarted(1), submitted('t1'), assigned('t1'), succeeded(t1)).thenTask('t1', {
      status: 'succeeded',
    });
  });

  it('records a second start of the same attempt as an anomaly and keeps the first start time', () => {
    const g = given(
      epochStarted(1),
      submitted('t1'),
      assigned('t1'),
      started(t1, T0 + 1),
      started(t1, T0 + 2),
    );
    g.thenTask('t1', { status: 'running', startedAt: T0 + 1 });
    g.thenAnomaly(TaskAnomalies.invalidTransition);
  });
});

describe('a failed attempt', () => {
  const base = [epochStarted(1), submitted('t1'), assigned('t1'), started(t1)];

  it('fails the task for good when the error is not retryable', () => {
    given(...base, failed(t1, false, { message: 'bad input', code: 'EINVAL' })).thenTask('t1', {
      status: 'failed',
      lastError: { message: 'bad input', code: 'EINVAL' },
      exhausted: false,
    });
  });

  it('awaits a retry when the error is retryable and attempts are left', () => {
    given(...base, failed(t1, true, { message: 'flaky' }, T0 + 4)).thenTask('t1', {
      status: 'awaiting_retry',
      failedAt: T0 + 4,
      attempt: 1,
      lastError: { message: 'flaky' },
    });
  });

  it('fails the task for good when the retryable failure was the last attempt', () => {
    const last = ref('t1', { attempt: 1 });
    given(epochStarted(1), submitted('t1', { maxAttempts: 1 }), assigned('t1'), failed(last, true)).thenTask(
      't1',
      {
        status: 'failed',
        exhausted: true,
      },
    );
  });

  it('is requeued as the next attempt, due at notBefore', () => {
    given(...base, failed(t1, true), requeued('t1', 2, T0 + 1_000)).thenTask('t1', {
      status: 'pending',
      attempt: 2,
      notBefore: T0 + 1_000,
      lastError: { message: 'boom' },
    });
  });

  it('rejects a requeue that skips an attempt', () => {
    const g = given(...base, failed(t1, true), requeued('t1', 3, T0));
    g.thenTask('t1', { status: 'awaiting_retry', attempt: 1 });
    g.thenAnomaly(TaskAnomalies.invalidTransition);
  });

  it('rejects a requeue beyond maxAttempts', () => {
    const events = [
      epochStarted(1),
      submitted('t1', { maxAttempts: 1 }),
      assigned('t1'),
      interrupted('t1', 1, 'gone'),
    ];
    const g = given(...events, requeued('t1', 2, T0));
    g.thenTask('t1', { status: 'interrupted' });
    g.thenAnomaly(TaskAnomalies.invalidTransition);
  });
});

describe('an interrupted attempt', () => {
  const lost = [
    epochStarted(1),
    submitted('t1'),
    assigned('t1'),
    started(t1),
    interrupted('t1', 1, 'node n1 left', 1, T0 + 7),
  ];

  it('is interrupted with the reason, keeping where it ran', () => {
    given(...lost).thenTask('t1', {
      status: 'interrupted',
      reason: 'node n1 left',
      interruptedAt: T0 + 7,
      assignment: { node: 'n1', attempt: 1 },
    });
  });

  it('is requeued as attempt 2 and can then run elsewhere', () => {
    const again = ref('t1', { attempt: 2, node: 'n2' });
    given(
      ...lost,
      requeued('t1', 2, T0),
      assigned('t1', { attempt: 2, node: 'n2' }),
      started(again),
    ).thenTask('t1', {
      status: 'running',
      attempt: 2,
      assignment: { node: 'n2', attempt: 2 },
    });
  });

  it('fails for good when its attempts are spent', () => {
    const events = [
      epochStarted(1),
      submitted('t1', { maxAttempts: 1 }),
      assigned('t1'),
      interrupted('t1', 1, 'gone'),
    ];
    given(...events, exhausted('t1', 1, '1 of 1 attempts spent')).thenTask('t1', {
      status: 'failed',
      exhausted: true,
      lastError: { code: 'ATTEMPTS_EXHAUSTED', message: '1 of 1 attempts spent' },
    });
  });

  it('rejects a final failure while attempts remain', () => {
    const g = given(...lost, exhausted('t1', 1, 'too early'));
    g.thenTask('t1', { status: 'interrupted' });
    g.thenAnomaly(TaskAnomalies.invalidTransition);
  });

  it('cannot be interrupted twice', () => {
    given(...lost, interrupted('t1', 1, 'again')).thenAnomaly(TaskAnomalies.invalidTransition);
  });
});

describe('a timeout', () => {
  it('ends a running attempt for good', () => {
    given(
      epochStarted(1),
      submitted('t1'),
      assigned('t1'),
      started(t1),
      timedOut('t1', 1, 1, T0 + 50),
    ).thenTask('t1', {
      status: 'timed_out',
      finishedAt: T0 + 50,
    });
  });

  it('ends an assigned attempt that never started', () => {
    given(epochStarted(1), submitted('t1'), assigned('t1'), timedOut('t1', 1)).thenTask('t1', {
      status: 'timed_out',
    });
  });

  it('loses the race against a success reported first', () => {
    const g = given(epochStarted(1), submitted('t1'), assigned('t1'), succeeded(t1), timedOut('t1', 1));
    g.thenTask('t1', { status: 'succeeded' });
    g.thenAnomaly(TaskAnomalies.invalidTransition);
  });
});
