/**
 * The real client against a TCP server that accepts connections and never answers: what a stopped
 * (SIGSTOP) or wedged EventStoreDB looks like. The client alone would wait forever here.
 */
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes, hasCode } from '../../../../src/errors.ts';
import { createEventStoreDbLog } from '../../../../src/infra/log/eventstoredb/eventstoredb-log.ts';
import type { EventLog, EventToAppend } from '../../../../src/infra/log/port.ts';

const event: EventToAppend = {
  type: 'TaskSubmitted',
  version: 1,
  data: { taskId: 't1' },
  meta: { node: 'n1', incarnation: 1, at: 1 },
};

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error,
  );
}

async function drain<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('the eventstoredb log when the server accepts connections but never answers', () => {
  let server: Server | undefined;
  let log: EventLog | undefined;
  const sockets = new Set<Socket>();

  afterEach(async () => {
    await log?.close();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    log = undefined;
    server = undefined;
  });

  async function openLog(stallTimeoutMs: number): Promise<EventLog> {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {
        // the client hangs up when it gives up; nothing to do
      });
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    log = createEventStoreDbLog({
      connectionString: `esdb://127.0.0.1:${address.port}?tls=false`,
      cluster: 'silent',
      stallTimeoutMs,
      resubscribe: { initialDelayMs: 10, maxDelayMs: 10, maxAttempts: 1 },
    });
    return log;
  }

  it('fails an append with LOG_UNAVAILABLE once the stall timeout passes', async () => {
    const error = await rejection((await openLog(300)).append('dispatch', [event], 'any'));
    expect(hasCode(error, ErrorCodes.LOG_UNAVAILABLE)).toBe(true);
    expect((error as { details?: unknown }).details).toMatchObject({ operation: 'append', timeoutMs: 300 });
  });

  it('fails a read with LOG_UNAVAILABLE once the stall timeout passes', async () => {
    const error = await rejection(drain((await openLog(300)).readAll()));
    expect(hasCode(error, ErrorCodes.LOG_UNAVAILABLE)).toBe(true);
  });

  it('counts a subscription the server never confirms as unavailable', async () => {
    const error = await rejection(firstValueFrom((await openLog(300)).subscribeAll()));
    expect(hasCode(error, ErrorCodes.LOG_UNAVAILABLE)).toBe(true);
    expect((error as { details?: unknown }).details).toMatchObject({ confirmed: false });
  });

  it('ends a read waiting on the server with LOG_CLOSED when the log closes', async () => {
    const opened = await openLog(60_000);
    const read = rejection(drain(opened.readStream('dispatch')));
    await opened.close();
    expect(hasCode(await read, ErrorCodes.LOG_CLOSED)).toBe(true);
  });
});
