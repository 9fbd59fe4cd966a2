/**
 * A real API server (createApiServer over the in-memory FakeTaskService) listening on 127.0.0.1:0,
 * and a way to run taskctl in-process against it, capturing stdout, stderr and the exit code.
 */
import { createServer } from 'node:net';
import { pino } from 'pino';
import { runTaskctl } from '../../src/cli/taskctl/program.ts';
import { createApiServer } from '../../src/infra/api/server.ts';
import { createMetrics } from '../../src/infra/metrics.ts';
import { FakeTaskService } from '../support/fake-task-service.ts';

export const TOKEN = 'taskctl-test-token-0123456789';

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Captured output of a run that may still be going (watch). */
export interface RunningTaskctl {
  readonly done: Promise<Run>;
  stdout(): string;
}

/** Starts the server; `close` stops it. */
export async function startTaskctlFixture() {
  const service = new FakeTaskService();
  const app = createApiServer({
    service,
    metrics: createMetrics({ processMetrics: false }),
    logger: pino({ level: 'silent' }),
    config: { token: TOKEN, bodyLimitBytes: 64 * 1024, batchLimit: 10 },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;

  /** Runs taskctl with `--endpoint` and the token in its environment, unless `env` says otherwise. */
  const start = (
    argv: readonly string[],
    options: { env?: Record<string, string>; signal?: AbortSignal } = {},
  ): RunningTaskctl => {
    const out: string[] = [];
    const err: string[] = [];
    const done = runTaskctl({
      argv: ['--endpoint', endpoint, ...argv],
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      env: options.env ?? { TASKD_API_TOKEN: TOKEN },
      ...(options.signal && { signal: options.signal }),
    }).then((code) => ({ code, stdout: out.join(''), stderr: err.join('') }));
    return { done, stdout: () => out.join('') };
  };
  const run = (argv: readonly string[], options: { env?: Record<string, string> } = {}) =>
    start(argv, options).done;
  return { service, app, endpoint, run, start, close: () => app.close() };
}

/** An http:// address where nothing listens: a port just freed. */
export async function deadEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
