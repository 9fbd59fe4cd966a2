import { asyncScheduler, merge, NEVER, of, throwError } from 'rxjs';
import { delay } from 'rxjs/operators';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { TeardownStep } from '../../src/domain/node/index.ts';
import { recordTriggers, type TeardownSteps, teardown$ } from '../../src/streams/teardown.ts';
import { runningStore } from './node-fixture.ts';

const testScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** Steps that each take `ms` of virtual time and note when they ran. */
function timedSteps(ms: number, ran: TeardownStep[], override: Partial<TeardownSteps> = {}): TeardownSteps {
  const step = (name: TeardownStep) => () => {
    ran.push(name);
    return of(undefined).pipe(delay(ms));
  };
  return {
    runner: step('runner'),
    vip: step('vip'),
    dispatcher: step('dispatcher'),
    'quorum-leave': step('quorum-leave'),
    'zk-close': step('zk-close'),
    ...override,
  };
}

const options = { stepTimeoutMs: 1_000, scheduler: asyncScheduler };

describe('when several triggers arrive in the same frame', () => {
  it('runs one teardown, every step once and in order, and journals the others as ignored', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const { store, journal } = runningStore();
      const ran: TeardownStep[] = [];
      const triggers = cold('5ms (abc)', {
        a: { trigger: 'SIGTERM' as const },
        b: { trigger: 'session-lost' as const },
        c: { trigger: 'health' as const },
      });
      const steps$ = merge(
        recordTriggers(triggers, store, asyncScheduler),
        teardown$(store, timedSteps(10, ran), options),
      );
      // steps end at 5 + 10, +20, +30, +40, +50 (each started right after the previous one)
      expectObservable(steps$).toBe('15ms a 9ms b 9ms c 9ms d 9ms e', {
        a: 'runner',
        b: 'vip',
        c: 'dispatcher',
        d: 'quorum-leave',
        e: 'zk-close',
      });
      flush();
      expect(ran).toEqual(['runner', 'vip', 'dispatcher', 'quorum-leave', 'zk-close']);
      expect(journal.map((e) => e.type)).toEqual([
        'ShutdownRequested',
        'ShutdownIgnored',
        'ShutdownIgnored',
        ...['runner', 'vip', 'dispatcher', 'quorum-leave', 'zk-close'].flatMap(() => [
          'TeardownStepStarted',
          'TeardownStepCompleted',
        ]),
        'TeardownFinished',
      ]);
      expect(store.current().lifecycle.status).toBe('stopped');
      expect(store.current().anomalyCount).toBe(0);
    });
  });
});

describe('when a step hangs or fails', () => {
  it('journals the failure, with timedOut for a hang, and still runs the later steps', () => {
    testScheduler().run(({ cold, flush }) => {
      const { store, journal } = runningStore();
      const ran: TeardownStep[] = [];
      const steps = timedSteps(1, ran, {
        vip: () => {
          ran.push('vip');
          return NEVER;
        },
        dispatcher: () => {
          ran.push('dispatcher');
          return throwError(() => new Error('boom'));
        },
      });
      merge(
        recordTriggers(cold('a', { a: { trigger: 'SIGINT' as const } }), store, asyncScheduler),
        teardown$(store, steps, options),
      ).subscribe();
      flush();
      expect(ran).toEqual(['runner', 'vip', 'dispatcher', 'quorum-leave', 'zk-close']);
      const failed = journal.filter((e) => e.type === 'TeardownStepFailed').map((e) => e.data);
      expect(failed).toEqual([
        { step: 'vip', error: 'no answer within 1000 ms', timedOut: true },
        { step: 'dispatcher', error: 'boom', timedOut: false },
      ]);
      expect(journal.at(-1)?.type).toBe('TeardownFinished');
    });
  });
});

describe('when teardown is asked for from a second path', () => {
  it('runs nothing the second time (seed 000: the destructor closed ZooKeeper again)', () => {
    testScheduler().run(({ cold, flush }) => {
      const { store, journal } = runningStore();
      const ran: TeardownStep[] = [];
      const steps = timedSteps(1, ran);
      merge(
        recordTriggers(
          cold('a 50ms b', {
            a: { trigger: 'session-lost' as const },
            b: { trigger: 'process-exit' as const },
          }),
          store,
          asyncScheduler,
        ),
        teardown$(store, steps, options),
        teardown$(store, steps, options),
      ).subscribe();
      flush();
      expect(ran).toEqual(['runner', 'vip', 'dispatcher', 'quorum-leave', 'zk-close']);
      expect(journal.filter((e) => e.type === 'ShutdownIgnored').map((e) => e.data)).toEqual([
        { trigger: 'process-exit' },
      ]);
      expect(store.current().anomalyCount).toBe(0);
    });
  });
});
