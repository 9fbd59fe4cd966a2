/**
 * `taskd start`: validate the configuration (exit 64 on any problem, before anything starts), then
 * run the node: the TaskServer and its HTTP API, until a signal or a stop ends it.
 */
import { mkdirSync } from 'node:fs';
import { distinctUntilChanged, filter, map, pairwise } from 'rxjs';
import type { NodeState } from '../../domain/node/index.ts';
import { createApiServer } from '../../infra/api/server.ts';
import type { Config } from '../../infra/config/schema.ts';
import { loadHandlers } from '../../infra/handlers/registry.ts';
import type { Logger } from '../../infra/logger.ts';
import { createLogger } from '../../infra/logger.ts';
import type { Metrics } from '../../infra/metrics.ts';
import { createMetrics } from '../../infra/metrics.ts';
import { signals$ } from '../../infra/process/signals.ts';
import { createTaskServer, type TaskServer } from '../../streams/task-server.ts';
import { ExitCode, type ExitCodeValue } from '../exit-codes.ts';

export interface StartIo {
  readonly version: string;
  readonly stderr: NodeJS.WritableStream;
}

function hostPort(listen: string): { host: string; port: number } {
  const at = listen.lastIndexOf(':');
  return { host: listen.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(listen.slice(at + 1)) };
}

/** Runs a node until it ends; returns the exit code. */
export async function runNode(config: Config, io: StartIo): Promise<ExitCodeValue> {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const logger = createLogger({ level: config.logLevel, node: config.nodeId });
  let handlers: Awaited<ReturnType<typeof loadHandlers>>;
  try {
    handlers = await loadHandlers(config.runner);
  } catch (error) {
    io.stderr.write(`taskd: ${(error as Error).message}\n`);
    return ExitCode.CONFIG;
  }
  const metrics = createMetrics();
  const server = createTaskServer({
    config,
    logger: logger.child({ component: 'server' }),
    version: io.version,
    handlers,
    signals$: signals$(['SIGTERM', 'SIGINT']),
    checkpointIntervalMs: config.checkpointIntervalMs,
    hooks: {
      onAppend: (_events, seconds) => metrics.observeAppend(seconds),
      onAssigned: (count) => metrics.assignments.inc(count),
    },
  });
  metrics.readClusterFrom(() => server.service.cluster());
  const counted = countTransitions(server, metrics);
  const fatalStops = reportFatalStops(server, logger);
  const api = createApiServer({
    service: server.service,
    metrics,
    logger: logger.child({ component: 'api' }),
    config: {
      bodyLimitBytes: config.api.bodyLimitBytes,
      batchLimit: config.api.batchLimit,
      ...(config.api.token ? { token: config.api.token } : {}),
    },
  });
  const { host, port } = hostPort(config.api.listen);
  try {
    await api.listen({ host, port });
  } catch (error) {
    logger.fatal({ err: error, listen: config.api.listen }, 'cannot listen');
    io.stderr.write(`taskd: cannot listen on ${config.api.listen}: ${(error as Error).message}\n`);
    return ExitCode.CONFIG;
  }
  logger.info(
    { listen: config.api.listen, node: config.nodeId, cluster: config.cluster, version: io.version },
    'taskd started',
  );
  server.start();
  const outcome = await server.exited;
  const code = exitCodeOf(outcome.code, server.store.current());
  logger.info({ code, reason: outcome.reason }, 'taskd stopped');
  counted.unsubscribe();
  fatalStops.unsubscribe();
  await api.close().catch(() => undefined);
  logger.flush();
  return code;
}

/**
 * A node whose last stop was fatal never exits 0: the server reports a stop that came while it
 * waited to restart (a journal that failed then) as a plain stop.
 */
function exitCodeOf(code: ExitCodeValue, state: NodeState): ExitCodeValue {
  const { lifecycle } = state;
  const fatal =
    (lifecycle.status === 'stopped' || lifecycle.status === 'tearing-down') && lifecycle.trigger === 'fatal';
  return code === ExitCode.OK && fatal ? ExitCode.FATAL : code;
}

/**
 * Says once, in the log, why a fatal teardown began: the error behind it (for a node journal that
 * cannot be written, its path and the OS error).
 */
function reportFatalStops(server: TaskServer, logger: Logger) {
  return server.store.state$
    .pipe(
      map((state) => state.lifecycle),
      // A fatal stop while a restart waited has no teardown: it goes straight to stopped.
      filter(
        (lifecycle) =>
          (lifecycle.status === 'tearing-down' || lifecycle.status === 'stopped') &&
          lifecycle.trigger === 'fatal',
      ),
      map((lifecycle) =>
        lifecycle.status === 'tearing-down' || lifecycle.status === 'stopped' ? lifecycle.detail : undefined,
      ),
      distinctUntilChanged(),
    )
    .subscribe((detail) => {
      const why = detail ?? 'an internal error';
      logger.fatal({ detail }, `stopping the node: ${why}`);
    });
}

/** Counts the node's state transitions that have counters: suspicions, teardowns, failovers. */
function countTransitions(server: TaskServer, metrics: Metrics) {
  return server.store.state$.pipe(pairwise()).subscribe(([before, after]) => {
    if (before.session.status !== 'suspended' && after.session.status === 'suspended')
      metrics.suspicions.inc();
    if (before.lifecycle.status !== 'tearing-down' && after.lifecycle.status === 'tearing-down') {
      metrics.teardowns.inc({ trigger: after.lifecycle.trigger });
    }
    const took = before.role.status !== 'leader' && after.role.status === 'leader';
    if (took && before.leader.node !== null && before.leader.node !== after.config.node)
      metrics.failovers.inc();
  });
}
