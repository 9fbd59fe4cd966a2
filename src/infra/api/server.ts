/**
 * The HTTP API of one node, as a fastify instance that does not listen yet: the daemon calls
 * `listen` and `close` (fastify's close stops taking requests, answers 503 to new ones, then waits
 * for those in flight).
 *
 * Routes: POST /v1/tasks, POST /v1/tasks:batch, GET /v1/tasks/:id, GET /v1/tasks, POST
 * /v1/tasks/:id/cancel, GET /v1/cluster, POST|DELETE /v1/nodes/:id/drain, GET /metrics, /healthz,
 * /readyz. Every response carries `x-request-id`; every error has the shape of problem.ts.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { TaskService } from '../../streams/task-service.ts';
import type { Metrics } from '../metrics.ts';
import { apiLogger } from './api-logger.ts';
import { requireToken } from './bearer-token.ts';
import { registerClusterRoutes } from './cluster-routes.ts';
import { replyNotFound, replyToError } from './error-replies.ts';
import { acceptJsonBodies } from './json-body.ts';
import { registerProbeRoutes } from './probe-routes.ts';
import { registerTaskRoutes } from './task-routes.ts';

export interface ApiConfig {
  /** When set, POST and DELETE need `Authorization: Bearer <token>`; reads stay open. */
  readonly token?: string;
  readonly bodyLimitBytes: number;
  /** Most tasks in one POST /v1/tasks:batch; more is a 413 naming `tasks`. */
  readonly batchLimit: number;
}

export interface ApiDeps {
  readonly service: TaskService;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly config: ApiConfig;
}

/** Builds the API server with every route, hook and error reply; it is not listening. */
export function createApiServer({ service, metrics, logger, config }: ApiDeps): FastifyInstance {
  // Typed as fastify's base logger so the instance is a plain FastifyInstance for the route modules.
  const loggerInstance: FastifyBaseLogger = apiLogger(logger);
  const app = Fastify({
    loggerInstance,
    bodyLimit: config.bodyLimitBytes,
    genReqId: () => randomUUID(),
    // A client's x-request-id is not trusted as ours: ids in our logs are ours.
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    // On stop, drop keep-alive and in-flight connections: a request stuck on an unreachable store
    // must not keep the process from exiting after its teardown.
    forceCloseConnections: true,
  });

  acceptJsonBodies(app);
  app.addHook('onRequest', requireToken(config.token));
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the raw URL: one series per route, whatever ids clients send.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
  app.setErrorHandler(replyToError);
  app.setNotFoundHandler(replyNotFound);

  registerTaskRoutes(app, { service, batchLimit: config.batchLimit });
  registerClusterRoutes(app, service);
  registerProbeRoutes(app, service, metrics);
  return app;
}
