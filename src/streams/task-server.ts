/**
 * TaskServer: one node's whole life in one process. It owns the journal and the store for the
 * process, and runs incarnations one after another: after a teardown caused by a session loss it
 * starts the services again in-process, after a backoff and within the restart budget (or exits 75
 * when asked to). It never calls process.exit: `exited` says how the node ended and the CLI exits.
 */
import {
  asyncScheduler,
  BehaviorSubject,
  firstValueFrom,
  merge,
  type Observable,
  Subject,
  timer,
} from 'rxjs';
import { filter, map, switchMap, take } from 'rxjs/operators';
import { ExitCode, type ExitCodeValue } from '../cli/exit-codes.ts';
import {
  fold,
  initialState,
  type NodeConfig,
  type NodeEvent,
  type NodeState,
  recordEvent,
  type ShutdownTrigger,
} from '../domain/node/index.ts';
import type { Config } from '../infra/config/schema.ts';
import type { HandlerRegistry } from '../infra/handlers/registry.ts';
import { openNodeJournal } from '../infra/journal/node-journal.ts';
import { readJournal } from '../infra/journal/read-journal.ts';
import type { Logger } from '../infra/logger.ts';
import { eventLoopStalls$ } from '../infra/process/eventLoopStalls.ts';
import type { StopSignal } from '../infra/process/signals.ts';
import {
  createZooKeeperSession,
  type ZooKeeperSession,
  type ZooKeeperSessionOptions,
} from '../infra/zookeeper/index.ts';
import { checkpoints$, recordCheckpoint } from './checkpoint.ts';
import { clusterPaths } from './cluster-paths.ts';
import { type IncarnationEnd, runIncarnation } from './incarnation.ts';
import { incarnationServices, type ServiceHooks } from './incarnation-services.ts';
import { createNodeStore, type NodeStore } from './node-store.ts';
import { createNodeTaskService, type ServiceTarget } from './node-task-service.ts';
import type { TaskService } from './task-service.ts';
import type { ShutdownTriggerInput } from './teardown.ts';

export interface ExitOutcome {
  readonly code: ExitCodeValue;
  readonly reason: string;
}

export interface TaskServerOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly version: string;
  readonly handlers: HandlerRegistry;
  /** Process signals; the server only turns them into journaled triggers. */
  readonly signals$?: Observable<StopSignal>;
  readonly createSession?: (options: ZooKeeperSessionOptions) => ZooKeeperSession;
  /** How often the state hashes are journaled (StateCheckpoint); default 10 s. */
  readonly checkpointIntervalMs?: number;
  /** An event-loop delay above this is journaled as a stall; default 250 ms. */
  readonly stallThresholdMs?: number;
  /** Per teardown step; the hard deadline is five of these plus a margin. */
  readonly stepTimeoutMs?: number;
  readonly hooks?: ServiceHooks;
}

export interface TaskServer {
  readonly store: NodeStore;
  readonly service: TaskService;
  /** Opens the journal and starts the first incarnation. */
  start(): void;
  /** Asks for a stop (as the API does) and resolves with how the node ended. */
  stop(trigger?: ShutdownTrigger): Promise<ExitOutcome>;
  readonly exited: Promise<ExitOutcome>;
}

/** The node's domain configuration, from the daemon's. */
export function nodeConfigOf(config: Config): NodeConfig {
  return {
    node: config.nodeId,
    session: { suspicionFraction: config.zookeeper.suspicionFraction },
    health: { rise: config.health.rise, fall: config.health.fall },
    leadership: {
      cooldownMs: config.health.resignCooldownMs,
      // Every node judges a shared fault within (fall or rise) checks, plus a probe's timeout.
      resignGraceMs:
        (Math.max(config.health.rise, config.health.fall) + 1) * config.health.intervalMs +
        config.health.probeTimeoutMs,
    },
    vip:
      config.vip === undefined
        ? null
        : { address: config.vip.address, retryInitialMs: 500, retryMaxMs: 30_000 },
  };
}

/** Folds what an earlier process left in the journal, so incarnations and restart budgets carry over. */
async function foldExistingJournal(config: Config, logger: Logger): Promise<NodeState> {
  const events: NodeEvent[] = [];
  const dir = config.dataDir;
  try {
    for await (const item of readJournal(dir)) {
      if (item.kind === 'entry' && item.event.meta.node === config.nodeId)
        events.push(item.event as NodeEvent);
      if (item.kind === 'anomaly')
        logger.warn({ anomaly: item.anomaly }, 'journal: skipped a record it cannot read');
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return fold(initialState(nodeConfigOf(config)), events);
}

/** Default bound of one teardown step; the hard deadline is 5 of these + 5 s (deploy/taskd.service depends on it). */
export const DEFAULT_STEP_TIMEOUT_MS = 10_000;

/** Creates the node's server; nothing runs until start(). */
export function createTaskServer(options: TaskServerOptions): TaskServer {
  const { config, logger } = options;
  const scheduler = asyncScheduler;
  const stepTimeoutMs = options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  const paths = clusterPaths(config.cluster);
  const triggers = new Subject<ShutdownTriggerInput>();
  let target: ServiceTarget | undefined;
  let resolveExit!: (outcome: ExitOutcome) => void;
  const exited = new Promise<ExitOutcome>((resolve) => {
    resolveExit = resolve;
  });
  let stopRequested: ShutdownTriggerInput | undefined;
  // The store exists from the start (the API reads it); its real initial state comes from the journal.
  // The store exists from the start (the API reads it); its real initial state comes from the journal
  // in start(), which swaps it in. `storeRef` always speaks for the current one.
  const stores = new BehaviorSubject(
    createNodeStore({ appendSync: () => undefined }, initialState(nodeConfigOf(config))),
  );
  const storeRef: NodeStore = {
    state$: stores.pipe(switchMap((current) => current.state$)),
    current: () => stores.value.current(),
    record: (events) => stores.value.record(events),
    dispatch: (command) => stores.value.dispatch(command),
    complete: () => stores.value.complete(),
  };
  const store = storeRef;
  const service = createNodeTaskService({
    store: storeRef,
    paths,
    execAllow: config.runner.execAllow,
    target: () => target,
  });

  const journalOptions = {
    dir: config.dataDir,
    node: config.nodeId,
    fsync: config.taskLog.fsync === 'always' ? ('always' as const) : { intervalMs: config.taskLog.fsync },
  };

  const runOne = (): Promise<IncarnationEnd> => {
    const { ended } = runIncarnation({
      store: storeRef,
      scheduler,
      createSession: options.createSession ?? createZooKeeperSession,
      zk: {
        connectString: config.zookeeper.hosts.join(','),
        sessionTimeoutMs: config.zookeeper.sessionTimeoutMs,
        requestTimeoutMs: config.zookeeper.requestTimeoutMs,
        ...(config.zookeeper.auth === undefined ? {} : { auth: config.zookeeper.auth }),
      },
      paths,
      self: {
        node: config.nodeId,
        address: config.api.listen,
        priority: config.priority,
        capacity: config.runner.capacity,
        prefetch: config.runner.prefetch,
      },
      stepTimeoutMs,
      reviewIntervalMs: 1_000,
      triggers$: triggers,
      services: (zk) =>
        incarnationServices(
          {
            config,
            store: storeRef,
            paths,
            handlers: options.handlers,
            logger,
            publish: (t) => {
              target = t;
            },
            ...(options.hooks === undefined ? {} : { hooks: options.hooks }),
          },
          zk,
        ),
    });
    return ended;
  };

  /**
   * Waits `ms`, or less if a stop is requested or the node stopped itself meanwhile (its journal
   * failed); true when it waited the whole time.
   */
  const backoff = (ms: number): Promise<boolean> =>
    firstValueFrom(
      merge(
        timer(ms, scheduler).pipe(map(() => true)),
        triggers.pipe(map(() => false)),
        store.state$.pipe(
          filter((state) => state.lifecycle.status !== 'restart-scheduled'),
          map(() => false),
        ),
      ).pipe(take(1)),
    );

  const exitFor = (end: IncarnationEnd): ExitOutcome | undefined => {
    switch (end.trigger) {
      case 'session-lost':
        return config.restart.exitOnSessionLoss
          ? { code: ExitCode.SESSION_LOST, reason: 'ZooKeeper session lost (--exit-on-session-loss)' }
          : undefined;
      case 'fatal':
        return { code: ExitCode.FATAL, reason: 'stopped after an internal error (see the log)' };
      default:
        return { code: ExitCode.OK, reason: `stopped (${end.trigger})` };
    }
  };

  const lifecycle = async (): Promise<ExitOutcome> => {
    for (;;) {
      const state = store.current();
      if (state.lifecycle.status === 'stopped' && state.lifecycle.trigger === 'session-lost') {
        const [decision] = store.dispatch({
          type: 'PlanRestart',
          now: scheduler.now(),
          policy: config.restart,
        });
        if (decision?.type === 'RestartBudgetExhausted') {
          return {
            code: ExitCode.RESTART_BUDGET_EXHAUSTED,
            reason: `session lost ${decision.data.restarts} times within ${decision.data.windowMs} ms`,
          };
        }
        if (decision?.type === 'RestartScheduled') {
          logger.warn(
            {
              attempt: decision.data.attempt,
              backoffMs: decision.data.backoffMs,
              budgetRemaining: decision.data.budgetRemaining,
            },
            'session lost: restarting services after a backoff',
          );
          // Node timers may fire a millisecond early by the wall clock: never start before the backoff ends.
          const waited = await backoff(decision.data.backoffMs + 2);
          const waiting = store.current().lifecycle;
          if (waiting.status === 'stopped' && waiting.trigger === 'fatal') {
            return { code: ExitCode.FATAL, reason: waiting.detail ?? 'stopped after an internal error' };
          }
          if (!waited || stopRequested) {
            store.dispatch({
              type: 'RequestShutdown',
              now: scheduler.now(),
              trigger: stopRequested?.trigger ?? 'api',
            });
            return { code: ExitCode.OK, reason: 'stopped while waiting to restart' };
          }
        }
      } else if (state.lifecycle.status !== 'new' && state.lifecycle.status !== 'restart-scheduled') {
        return { code: ExitCode.OK, reason: `stopped (${state.lifecycle.status})` };
      }
      if (stopRequested) return { code: ExitCode.OK, reason: `stopped (${stopRequested.trigger})` };
      const end = await runOne();
      logger.info({ trigger: end.trigger, incarnation: end.state.incarnation }, 'services stopped');
      const outcome = exitFor(end);
      if (outcome) return outcome;
    }
  };

  const requestStop = (input: ShutdownTriggerInput) => {
    stopRequested ??= input;
    triggers.next(input);
  };

  return {
    store: storeRef,
    service,
    exited,
    start: () => {
      void (async () => {
        const journal = openNodeJournal(journalOptions);
        try {
          const previous = await foldExistingJournal(config, logger);
          stores.next(createNodeStore({ appendSync: (event) => journal.appendSync(event) }, previous));
          store.record([
            recordEvent(store.current(), scheduler.now(), 'ProcessStarted', {
              pid: process.pid,
              version: options.version,
              config: nodeConfigOf(config),
            }),
          ]);
          const checkpoints = checkpoints$(
            store,
            () => target?.view,
            scheduler,
            options.checkpointIntervalMs ?? 10_000,
          ).subscribe();
          // A stalled event loop is why sessions get lost (seed 000): say when the process itself stood still.
          const stalls = eventLoopStalls$({
            intervalMs: 100,
            thresholdMs: options.stallThresholdMs ?? 250,
          }).subscribe(({ delayMs }) =>
            store.record([
              recordEvent(store.current(), scheduler.now(), 'EventLoopStalled', {
                delayMs: Math.round(delayMs),
              }),
            ]),
          );
          const signals = options.signals$?.subscribe((signal) => {
            store.record([recordEvent(store.current(), scheduler.now(), 'SignalReceived', { signal })]);
            requestStop({ trigger: signal });
            armHardDeadline();
          });
          const outcome = await lifecycle();
          signals?.unsubscribe();
          stalls.unsubscribe();
          checkpoints.unsubscribe();
          recordCheckpoint(store, undefined, scheduler);
          resolveExit(outcome);
        } catch (error) {
          logger.fatal({ err: error }, 'taskd failed');
          resolveExit({ code: ExitCode.FATAL, reason: String((error as Error)?.message ?? error) });
        } finally {
          journal.close();
          logger.flush();
        }
      })();
    },
    stop: (trigger = 'api') => {
      requestStop({ trigger });
      armHardDeadline();
      return exited;
    },
  };

  function armHardDeadline(): void {
    const deadline = setTimeout(
      () =>
        resolveExit({
          code: ExitCode.TEARDOWN_DEADLINE,
          reason: `teardown did not finish within ${5 * stepTimeoutMs + 5_000} ms`,
        }),
      5 * stepTimeoutMs + 5_000,
    );
    deadline.unref();
    void exited.then(() => clearTimeout(deadline));
  }
}
