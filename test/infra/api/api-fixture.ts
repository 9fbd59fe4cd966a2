/**
 * An API server over the in-memory FakeTaskService, with every log line captured (at trace level,
 * with pino's standard request serializer, which logs every header: the worst case for redaction).
 */
import { pino } from 'pino';
import { type ApiConfig, createApiServer } from '../../../src/infra/api/server.ts';
import { createMetrics } from '../../../src/infra/metrics.ts';
import { FakeTaskService } from '../../support/fake-task-service.ts';

export const TOKEN = 'a-secret-token-of-at-least-16-chars';

/** A fresh app, its fake service and metrics, and the captured log. */
export function apiFixture(config: Partial<ApiConfig> = {}) {
  const service = new FakeTaskService();
  const metrics = createMetrics({ processMetrics: false });
  const lines: string[] = [];
  const logger = pino(
    { level: 'trace', serializers: { req: pino.stdSerializers.req } },
    { write: (line: string) => lines.push(line) },
  );
  const app = createApiServer({
    service,
    metrics,
    logger,
    config: { bodyLimitBytes: 256 * 1024, batchLimit: 5, ...config },
  });
  return { app, service, metrics, logText: () => lines.join('') };
}
