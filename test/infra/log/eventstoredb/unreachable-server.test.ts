/**
 * The real client against a port where nothing listens: the failure paths that need no EventStoreDB
 * server. (The success paths are the contract suite's, in eventstoredb.contract.test.ts.)
 */
import { once } from 'node:events';
import { createServer } from 'node:net';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes, hasCode } from '../../../../src/errors.ts';
import { createEventStoreDbLog } from '../../../../src/infra/log/eventstoredb/eventstoredb-log.ts';
import type { EventLog, EventToAppend } from '../../../../src/infra/log/port.ts';

/** A loopback port that was free a moment ago: connecting to it is refused. */
async function refusedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

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

describe('the eventstoredb log when the server cannot be reached', () => {
  let log: EventLog | undefined;
  afterEach(async () => {
    await log?.close();
    log = undefined;
  });

  async function openLog(maxAttempts = 2): Promise<EventLog> {
    log = createEventStoreDbLog({
      connectionString: `esdb://127.0.0.1:${await refusedPort()}?tls=false`,
      cluster: 'unreachable',
      maxBatchBytes: 1_000,
      resubscribe: { initialDelayMs: 10, maxDelayMs: 20, maxAttempts },
    });
    return log;
  }

  it('rejects an append with LOG_UNAVAILABLE', async () => {
    const error = await rejection((await openLog()).append('dispatch', [event], 'no_stream'));
    expect(hasCode(error, ErrorCodes.LOG_UNAVAILABLE)).toBe(true);
  });

  it('rejects reads with LOG_UNAVAILABLE', async () => {
    const opened = await openLog();
    expect(hasCode(await rejection(drain(opened.readStream('dispatch'))), ErrorCodes.LOG_UNAVAILABLE)).toBe(
      true,
    );
    expect(hasCode(await rejection(drain(opened.readAll())), ErrorCodes.LOG_UNAVAILABLE)).toBe(true);
  });

  it('refuses a batch above the limit with BATCH_TOO_LARGE before sending anything', async () => {
    const big = { ...event, data: { blob: 'x'.repeat(2_000) } };
    const error = await rejection((await openLog()).append('dispatch', [big], 'any'));
    expect(hasCode(error, ErrorCodes.BATCH_TOO_LARGE)).toBe(true);
  });

  it('refuses an empty append with VALIDATION', async () => {
    const error = await rejection((await openLog()).append('dispatch', [], 'any'));
    expect(hasCode(error, ErrorCodes.VALIDATION)).toBe(true);
  });

  it('keeps resubscribing, then reports LOG_UNAVAILABLE once the allowed attempts are spent', async () => {
    const error = await rejection(firstValueFrom((await openLog(2)).subscribeAll()));
    expect(hasCode(error, ErrorCodes.LOG_UNAVAILABLE)).toBe(true);
  });

  it('completes live subscriptions and anomalies$ on close, and refuses calls after it', async () => {
    const opened = await openLog(Number.POSITIVE_INFINITY);
    const live = lastValueFrom(opened.subscribeAll().pipe(toArray()));
    const anomalies = lastValueFrom(opened.anomalies$.pipe(toArray()));
    await opened.close();
    await opened.close();
    expect(await live).toEqual([]);
    expect(await anomalies).toEqual([]);
    expect(hasCode(await rejection(opened.append('dispatch', [event], 'any')), ErrorCodes.LOG_CLOSED)).toBe(
      true,
    );
    expect(hasCode(await rejection(drain(opened.readAll())), ErrorCodes.LOG_CLOSED)).toBe(true);
    expect(hasCode(await rejection(firstValueFrom(opened.subscribeAll())), ErrorCodes.LOG_CLOSED)).toBe(true);
  });
});
