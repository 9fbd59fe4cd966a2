/**
 * The layers above the quorum for one incarnation: the task log on its session, this node's fold of
 * it, the runner, the dispatcher (acting only while this node leads) and the drain watch. Teardown
 * stops them through the hooks it returns, in DESIGN §4's order.
 */
import {
  asyncScheduler,
  BehaviorSubject,
  concat,
  defer,
  EMPTY,
  type MonoTypeOperatorFunction,
  merge,
  type Observable,
  retry,
  type SchedulerLike,
  throwError,
  timer,
} from 'rxjs';
import { distinctUntilChanged, ignoreElements, map, switchMap, tap } from 'rxjs/operators';
import { ErrorCodes, hasCode } from '../errors.ts';
import type { Config } from '../infra/config/schema.ts';
import type { HandlerRegistry } from '../infra/handlers/registry.ts';
import type { HealthCheck } from '../infra/health/index.ts';
import { openTaskLog } from '../infra/log/open-task-log.ts';
import type { EventLog } from '../infra/log/port.ts';
import type { Logger } from '../infra/logger.ts';
import { createVipAdapter, type VipAdapter } from '../infra/vip/index.ts';
import { isRetryableZkError, type ZooKeeperSession } from '../infra/zookeeper/index.ts';
import type { ClusterPaths } from './cluster-paths.ts';
import { compaction$ } from './compaction.ts';
import { dispatcher$ } from './dispatcher.ts';
import { configuredProbes, health$ } from './health.ts';
import type { IncarnationServices } from './incarnation.ts';
import type { NodeStore } from './node-store.ts';
import type { ServiceTarget } from './node-task-service.ts';
import { createRunner, type Runner } from './runner.ts';
import { createTaskView } from './task-view.ts';
import { createVipController } from './vip.ts';

export interface ServiceHooks {
  readonly onAppend?: (events: number, seconds: number) => void;
  readonly onAssigned?: (count: number) => void;
}

export interface ServicesDeps {
  readonly config: Config;
  readonly store: NodeStore;
  readonly paths: ClusterPaths;
  readonly handlers: HandlerRegistry;
  readonly logger: Logger;
  readonly scheduler?: SchedulerLike;
  /** Default: the real one over ip/arping. */
  readonly vipAdapter?: VipAdapter;
  /** Default: the probes the configuration names. */
  readonly probes?: readonly Observable<HealthCheck>[];
  /** Told of the target while the services run, and of undefined once they stop. */
  readonly publish: (target: ServiceTarget | undefined) => void;
  readonly hooks?: ServiceHooks;
}

/** Builds the services of an incarnation on `zk`. */
export function incarnationServices(deps: ServicesDeps, zk: ZooKeeperSession): IncarnationServices {
  const { config, store, paths, logger } = deps;
  const scheduler = deps.scheduler ?? asyncScheduler;
  const node = config.nodeId;
  const incarnation = store.current().incarnation;
  let log: EventLog | undefined;
  let runner: Runner | undefined;
  let stopped = false;
  // The member znode needs a view at once, before the log is open and the runner exists.
  const runnerView = new BehaviorSubject({ draining: false, load: 0 });
  // The VIP follows the node's state from the first moment (it cleans a stale copy at start).
  const vip =
    config.vip === undefined
      ? undefined
      : createVipController({
          store,
          adapter: deps.vipAdapter ?? createVipAdapter(),
          vip: config.vip,
          scheduler,
        });
  const health = health$(deps.probes ?? configuredProbes(config.health, scheduler), store, scheduler);
  const log$ = defer(async () => {
    log = await openTaskLog(config, zk);
    return log;
  }).pipe(retryPassing(scheduler));

  const tasks$ = log$.pipe(
    switchMap((opened) => {
      if (stopped) return EMPTY;
      const view = createTaskView(opened);
      runner = createRunner({
        log: opened,
        view,
        handlers: deps.handlers,
        scheduler,
        node,
        incarnation,
        capacity: deps.config.runner.capacity,
        progressIntervalMs: 500,
        onError: (error, taskId) => logger.warn({ err: error, taskId }, 'runner report failed'),
      });
      deps.publish({ log: opened, view, zk });
      const runnerView$ = runner.view$.pipe(tap((v) => runnerView.next(v)));
      const drain$ = concat(
        defer(() => zk.mkdirp(paths.drains)).pipe(ignoreElements()),
        zk.watchExists$(paths.drain(node)),
      ).pipe(
        map((stat) => stat !== null),
        distinctUntilChanged(),
        tap((draining) => {
          logger.info({ draining }, draining ? 'draining: no new tasks' : 'not draining');
          runner?.setDraining(draining);
        }),
        retryPassing(scheduler),
      );
      const dispatch$ = dispatcher$({
        log: opened,
        view,
        store,
        scheduler,
        random: Math.random,
        tickMs: 250,
        maxAssignments: 500,
        ...(deps.hooks?.onAppend ? { onAppend: deps.hooks.onAppend } : {}),
        ...(deps.hooks?.onAssigned ? { onAssigned: deps.hooks.onAssigned } : {}),
        onError: (error) => logger.warn({ err: error }, 'dispatcher: passing failure, will retry'),
      });
      const compact$ = compaction$({
        log: opened,
        view,
        store,
        scheduler,
        everyMs: 60_000,
        minRetired: 1_000,
        onCompacted: (result) => logger.info(result, 'task log compacted'),
        onError: (error) => logger.warn({ err: error }, 'task log compaction failed; will retry'),
      });
      return merge(view.start(), runner.run$, runnerView$, dispatch$, drain$, compact$, vip?.run$ ?? EMPTY);
    }),
    ignoreElements(),
  );
  const run$ = merge(tasks$, health);

  return {
    run$,
    runnerView$: runnerView.asObservable(),
    stopRunner: async () => {
      stopped = true;
      // Without a live session the reports cannot be written: stop once the handlers have returned.
      const session = store.current().session.status;
      await runner?.stop('shutdown', session === 'lost' || session === 'closed' ? 'handlers' : 'reports');
    },
    stopVip: async () => {
      await vip?.stop();
    },
    stopDispatcher: async () => {
      deps.publish(undefined);
      await log?.close();
    },
  };
}

/** Retries what failed because ZooKeeper was briefly unreachable; anything else goes on as an error. */
function retryPassing<T>(scheduler: SchedulerLike): MonoTypeOperatorFunction<T> {
  return retry({
    delay: (error: unknown, count) =>
      // The task log says LOG_UNAVAILABLE where ZooKeeper said timeout or connection loss: while the
      // session lives, waiting is right; restarting would spend the restart budget on an outage.
      isRetryableZkError(error) || hasCode(error, ErrorCodes.LOG_UNAVAILABLE)
        ? timer(Math.min(100 * 2 ** count, 2_000), scheduler)
        : throwError(() => error),
  });
}
