/**
 * Probes and metrics: `/healthz` (200 while the process is alive, else 503), `/readyz` (200 when the
 * node can serve, else 503 with the reasons), `/metrics` (Prometheus text). They log at warn only:
 * a scraper or a load balancer polls them every few seconds.
 */
import type { FastifyInstance } from 'fastify';
import type { TaskService } from '../../streams/task-service.ts';
import type { Metrics } from '../metrics.ts';

/** Registers /healthz, /readyz and /metrics. */
export function registerProbeRoutes(app: FastifyInstance, service: TaskService, metrics: Metrics): void {
  const quiet = { logLevel: 'warn' as const };

  app.get('/healthz', quiet, async (_request, reply) => {
    const live = service.live();
    return reply.code(live ? 200 : 503).send({ live });
  });

  app.get('/readyz', quiet, async (_request, reply) => {
    const { ready, reasons } = service.ready();
    return reply.code(ready ? 200 : 503).send({ ready, reasons });
  });

  app.get('/metrics', quiet, async (_request, reply) =>
    reply.header('content-type', metrics.contentType).send(await metrics.text()),
  );
}
