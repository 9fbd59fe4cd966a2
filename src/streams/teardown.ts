/**
 * Shutdown: every trigger is journaled (the first starts the teardown, later ones are recorded as
 * ignored), and one runner walks the steps in the domain's order, each with a timeout, each journaled
 * as started and completed or failed. Nothing else may stop a component (DESIGN §4, seed 000).
 */
import {
  defer,
  EMPTY,
  from,
  type Observable,
  type ObservableInput,
  of,
  type SchedulerLike,
  TimeoutError,
} from 'rxjs';
import {
  catchError,
  concatMap,
  defaultIfEmpty,
  expand,
  filter,
  ignoreElements,
  map,
  observeOn,
  take,
  tap,
  timeout,
} from 'rxjs/operators';
import { recordEvent, type ShutdownTrigger, type TeardownStep } from '../domain/node/index.ts';
import type { NodeStore } from './node-store.ts';

export interface ShutdownTriggerInput {
  readonly trigger: ShutdownTrigger;
  readonly detail?: string;
}

/** What each step does (a promise, or an observable whose first value or completion ends it). Each must be idempotent; the runner calls each at most once anyway. */
export type TeardownSteps = Readonly<Record<TeardownStep, () => ObservableInput<unknown>>>;

export interface TeardownOptions {
  readonly stepTimeoutMs: number;
  readonly scheduler: SchedulerLike;
}

/** Journals every trigger through the domain's decision (ShutdownRequested, or ShutdownIgnored). */
export function recordTriggers(
  triggers$: Observable<ShutdownTriggerInput>,
  store: NodeStore,
  scheduler: SchedulerLike,
): Observable<never> {
  return triggers$.pipe(
    tap(({ trigger, detail }) =>
      store.dispatch({
        type: 'RequestShutdown',
        now: scheduler.now(),
        trigger,
        ...(detail === undefined ? {} : { detail }),
      }),
    ),
    ignoreElements(),
  );
}

/** Runs one started step under its timeout and journals how it ended; emits the step. */
function runStep(store: NodeStore, steps: TeardownSteps, step: TeardownStep, options: TeardownOptions) {
  const { scheduler, stepTimeoutMs } = options;
  return defer(() => from(steps[step]())).pipe(
    take(1),
    defaultIfEmpty(undefined),
    timeout({ first: stepTimeoutMs, scheduler }),
    map(() => recordEvent(store.current(), scheduler.now(), 'TeardownStepCompleted', { step })),
    catchError((error: unknown) => {
      const timedOut = error instanceof TimeoutError;
      const message = timedOut
        ? `no answer within ${stepTimeoutMs} ms`
        : error instanceof Error
          ? error.message
          : String(error);
      return of(
        recordEvent(store.current(), scheduler.now(), 'TeardownStepFailed', {
          step,
          error: message,
          timedOut,
        }),
      );
    }),
    tap((event) => store.record([event])),
    map(() => step),
  );
}

/** Asks the domain for the next step; runs it, or ends when the teardown is finished. */
function next(store: NodeStore, steps: TeardownSteps, options: TeardownOptions): Observable<TeardownStep> {
  return defer(() => {
    const [event] = store.dispatch({ type: 'AdvanceTeardown', now: options.scheduler.now() });
    return event?.type === 'TeardownStepStarted' ? runStep(store, steps, event.data.step, options) : EMPTY;
  });
}

/**
 * Runs the teardown once the state says it started: emits each step as it ends, and completes after
 * TeardownFinished. The domain hands out each step once, so nothing can run twice.
 */
export function teardown$(
  store: NodeStore,
  steps: TeardownSteps,
  options: TeardownOptions,
): Observable<TeardownStep> {
  return store.state$.pipe(
    filter((state) => state.lifecycle.status === 'tearing-down'),
    take(1),
    // Leave the state notification that started us before deciding anything on the store.
    observeOn(options.scheduler),
    concatMap(() => next(store, steps, options).pipe(expand(() => next(store, steps, options)))),
  );
}
