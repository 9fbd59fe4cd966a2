/**
 * One life of a node's services: a new ZooKeeper session, the quorum streams and the services above
 * them, until one teardown ends it. The incarnation owns everything it starts and stops it in the
 * order of DESIGN §4; it never exits the process.
 */
import { merge, type Observable, of, type SchedulerLike, type Subscription, throwError, timer } from 'rxjs';
import { filter, map, retry, take } from 'rxjs/operators';
import { type NodeState, nextIncarnation, recordEvent, type ShutdownTrigger } from '../domain/node/index.ts';
import { ErrorCodes, hasCode } from '../errors.ts';
import {
  isRetryableZkError,
  isSessionLostError,
  type ZooKeeperSession,
  type ZooKeeperSessionOptions,
} from '../infra/zookeeper/index.ts';
import type { ClusterPaths } from './cluster-paths.ts';
import type { NodeStore } from './node-store.ts';
import { leaveQuorum, type QuorumSelf, quorum$ } from './quorum.ts';
import { session$ } from './session.ts';
import { recordTriggers, type ShutdownTriggerInput, type TeardownSteps, teardown$ } from './teardown.ts';

/** What the layers above the quorum (runner, VIP, dispatcher) give an incarnation. */
export interface IncarnationServices {
  /** Runs while the incarnation lives; an error is a fatal trigger. */
  readonly run$: Observable<never>;
  readonly runnerView$: Observable<{ readonly draining: boolean; readonly load: number }>;
  readonly stopRunner: () => Promise<void>;
  readonly stopVip: () => Promise<void>;
  readonly stopDispatcher: () => Promise<void>;
}

export interface IncarnationDeps {
  readonly store: NodeStore;
  readonly scheduler: SchedulerLike;
  readonly createSession: (options: ZooKeeperSessionOptions) => ZooKeeperSession;
  readonly zk: ZooKeeperSessionOptions;
  readonly paths: ClusterPaths;
  readonly self: QuorumSelf;
  readonly stepTimeoutMs: number;
  readonly reviewIntervalMs: number;
  /** Signals, API stop requests: pushed as triggers, nothing more. */
  readonly triggers$: Observable<ShutdownTriggerInput>;
  /** Builds the layers above the quorum for this session (none in quorum-only tests). */
  readonly services?: (zk: ZooKeeperSession) => IncarnationServices;
}

export interface IncarnationEnd {
  readonly trigger: ShutdownTrigger;
  readonly state: NodeState;
}

/** Until a runner exists, the member znode says: not draining, nothing running. */
const idleRunner$ = of({ draining: false, load: 0 });

/** Starts an incarnation; resolves once its teardown has finished. */
export function runIncarnation(deps: IncarnationDeps): {
  readonly session: ZooKeeperSession;
  readonly ended: Promise<IncarnationEnd>;
} {
  const { store, scheduler, paths } = deps;
  const incarnation = nextIncarnation(store.current());
  store.record([recordEvent(store.current(), scheduler.now(), 'ServicesStarted', { incarnation })]);
  const zk = deps.createSession(deps.zk);
  const services = deps.services?.(zk);
  const subscriptions: Subscription[] = [];
  // A stream that died because ZooKeeper or the log could not be reached is a lost contact, not a
  // bug: it ends this incarnation like a session loss, so the node restarts in-process. Anything
  // else is fatal (exit 70 after the teardown).
  const fatal = (error: unknown) =>
    store.dispatch({
      type: 'RequestShutdown',
      now: scheduler.now(),
      trigger: isLostContact(error) ? 'session-lost' : 'fatal',
      detail: String((error as Error)?.message ?? error),
    });

  subscriptions.push(
    session$(zk.state$, deps.zk.connectString, store, scheduler).subscribe({ error: fatal }),
  );
  const lost$ = store.state$.pipe(
    filter((state) => state.session.status === 'lost'),
    take(1),
    map(
      (state): ShutdownTriggerInput => ({
        trigger: 'session-lost',
        detail: state.session.status === 'lost' ? state.session.reason : '',
      }),
    ),
  );
  subscriptions.push(recordTriggers(merge(deps.triggers$, lost$), store, scheduler).subscribe());

  const quorum = quorum$({
    zk,
    paths,
    store,
    scheduler,
    self: deps.self,
    runnerView$: services?.runnerView$ ?? idleRunner$,
    reviewIntervalMs: deps.reviewIntervalMs,
  })
    .pipe(
      retry({
        delay: (error: unknown, count) =>
          isRetryableZkError(error)
            ? timer(Math.min(200 * count, 2_000), scheduler)
            : throwError(() => error),
      }),
    )
    .subscribe({ error: fatal });
  const servicesRun = services?.run$.subscribe({ error: fatal });

  const steps: TeardownSteps = {
    runner: () => services?.stopRunner() ?? Promise.resolve(),
    vip: () => services?.stopVip() ?? Promise.resolve(),
    dispatcher: async () => {
      // Stop the streams before closing what they read, so a closed log is not taken for a fault.
      servicesRun?.unsubscribe();
      await (services?.stopDispatcher() ?? Promise.resolve());
    },
    'quorum-leave': async () => {
      quorum.unsubscribe();
      const state = store.current();
      if (state.session.status === 'connected' || state.session.status === 'suspended')
        await leaveQuorum(zk, paths, state);
    },
    'zk-close': () => zk.close(),
  };

  const ended = new Promise<IncarnationEnd>((resolve) => {
    subscriptions.push(
      teardown$(store, steps, { stepTimeoutMs: deps.stepTimeoutMs, scheduler }).subscribe({
        complete: () => {
          for (const s of subscriptions) s.unsubscribe();
          const state = store.current();
          const trigger = state.lifecycle.status === 'stopped' ? state.lifecycle.trigger : 'fatal';
          resolve({ trigger, state });
        },
      }),
    );
  });
  return { session: zk, ended };
}

function isLostContact(error: unknown): boolean {
  return isRetryableZkError(error) || isSessionLostError(error) || hasCode(error, ErrorCodes.LOG_UNAVAILABLE);
}
