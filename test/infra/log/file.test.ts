import { appendFile, rm, stat } from 'node:fs/promises';
import type { Subscription } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCodes, hasCode } from '../../../src/errors.ts';
import { type FileEventLog, openFileEventLog } from '../../../src/infra/log/file/file-event-log.ts';
import type { LoggedEvent } from '../../../src/infra/log/port.ts';
import {
  anomaliesOf,
  event,
  eventually,
  linesOf,
  readAllOf,
  type TempLogDir,
  tempLogDir,
} from './file-log-fixture.ts';

let dir: TempLogDir;
let logs: FileEventLog[];
beforeEach(async () => {
  dir = await tempLogDir();
  logs = [];
});
afterEach(async () => {
  for (const log of logs) await log.close();
  await dir.remove();
});

async function open(options: Partial<Parameters<typeof openFileEventLog>[0]> = {}): Promise<FileEventLog> {
  const log = await openFileEventLog({ path: dir.path, ...options });
  logs.push(log);
  return log;
}

async function failureOf(action: Promise<unknown>): Promise<unknown> {
  return action.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('file log: format', () => {
  it('writes one JSON object per append, readable line by line, with a crc32', async () => {
    const log = await open();
    await log.append('orders', [event('A', 1), event('B', 2)], 'no_stream');
    await log.append('dispatch', [event('C', 3)], 'no_stream');
    const records = (await linesOf(dir.path)).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toEqual([
      {
        seq: 1,
        stream: 'orders',
        events: [
          expect.objectContaining({ type: 'A', revision: 0, position: 1, data: { n: 1 } }),
          expect.objectContaining({ type: 'B', revision: 1, position: 2, data: { n: 2 } }),
        ],
        crc: expect.stringMatching(/^[0-9a-f]{8}$/),
      },
      {
        seq: 2,
        stream: 'dispatch',
        events: [expect.objectContaining({ type: 'C', revision: 0, position: 3 })],
        crc: expect.stringMatching(/^[0-9a-f]{8}$/),
      },
    ]);
  });

  it('creates the log readable and writable by its owner only', async () => {
    await open();
    expect((await stat(dir.path)).mode & 0o777).toBe(0o600);
  });

  it('writes nothing for an oversized batch or an empty one', async () => {
    const log = await open({ maxBatchBytes: 1000 });
    await log.append('s', [event('Small')], 'no_stream');
    const size = (await stat(dir.path)).size;
    const big = { ...event('Big'), data: 'x'.repeat(1000) };
    expect(hasCode(await failureOf(log.append('s', [big], 0)), ErrorCodes.BATCH_TOO_LARGE)).toBe(true);
    expect(hasCode(await failureOf(log.append('s', [], 0)), ErrorCodes.VALIDATION)).toBe(true);
    expect((await stat(dir.path)).size).toBe(size);
  });

  it('refuses a batch that is not JSON with VALIDATION, writing nothing', async () => {
    const log = await open();
    await log.append('s', [event('Small')], 'no_stream');
    const size = (await stat(dir.path)).size;
    const failure = await failureOf(log.append('s', [{ ...event('Odd'), data: { n: 1n } }], 0));
    expect(hasCode(failure, ErrorCodes.VALIDATION)).toBe(true);
    expect((failure as Error).message).toMatch(/"s" is not JSON/);
    expect((await stat(dir.path)).size).toBe(size);
  });

  it('fails an oversized append alone among the appends written together', async () => {
    const log = await open({ maxBatchBytes: 1000 });
    await log.append('s', [event('A')], 'no_stream');
    const big = { ...event('Big'), data: 'x'.repeat(1000) };
    const outcomes = await Promise.allSettled([
      log.append('s', [event('B')], 0),
      log.append('t', [big], 'no_stream'),
      log.append('s', [event('C')], 1),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(hasCode((outcomes[1] as PromiseRejectedResult).reason, ErrorCodes.BATCH_TOO_LARGE)).toBe(true);
    const all = await readAllOf(log);
    expect(all.map((e) => `${e.stream}:${e.revision}:${e.type}@${e.position}`)).toEqual([
      's:0:A@1',
      's:1:B@2',
      's:2:C@3',
    ]);
  });

  it('gives live subscribers the events as a later read returns them (JSON round trip)', async () => {
    const log = await open();
    const live: LoggedEvent[] = [];
    const subscription = log.subscribeAll().subscribe((e) => live.push(e));
    await log.append('s', [{ ...event('Odd'), data: { kept: 1, dropped: undefined } }], 'no_stream');
    await eventually('the live event', () => live.length === 1);
    subscription.unsubscribe();
    expect(live).toEqual(await readAllOf(log));
    expect(live[0]?.data).toEqual({ kept: 1 });
  });
});

describe('file log: one writer', () => {
  it('refuses a second writer with LOG_LOCKED naming the file and the holder', async () => {
    await open();
    const failure = await failureOf(openFileEventLog({ path: dir.path }));
    expect(hasCode(failure, ErrorCodes.LOG_LOCKED)).toBe(true);
    expect(failure).toMatchObject({ details: { file: dir.path, holder: { pid: process.pid } } });
    expect(String((failure as Error).message)).toContain(dir.path);
    expect(String((failure as Error).message)).toContain(`pid ${process.pid}`);
  });

  it('lets a new writer in once the previous one closed', async () => {
    const first = await open();
    await first.append('s', [event('A')], 'no_stream');
    await first.close();
    const second = await open();
    expect(await second.append('s', [event('B')], 0)).toEqual({ nextExpectedRevision: 1, position: 2 });
  });

  it('opens read-only while a writer holds the lock, and refuses appends there', async () => {
    const writer = await open();
    await writer.append('s', [event('A')], 'no_stream');
    const reader = await open({ readOnly: true });
    expect((await readAllOf(reader)).map((e) => e.type)).toEqual(['A']);
    await writer.append('s', [event('B')], 0);
    expect((await readAllOf(reader)).map((e) => e.type)).toEqual(['A', 'B']);
    expect(hasCode(await failureOf(reader.append('s', [event('C')], 1)), ErrorCodes.LOG_UNAVAILABLE)).toBe(
      true,
    );
  });

  it('stops appending once its lock is lost, and says so', async () => {
    const writer = await open({ lockStaleMs: 2_000 });
    await writer.append('s', [event('A')], 'no_stream');
    await rm(`${dir.path}.lock`, { recursive: true });
    await eventually('the lost lock to be noticed', () =>
      anomaliesOf(writer).some((anomaly) => anomaly.kind === 'lock_compromised'),
    );
    const failure = await failureOf(writer.append('s', [event('B')], 0));
    expect(hasCode(failure, ErrorCodes.LOG_UNAVAILABLE)).toBe(true);
  });

  it('reports a torn tail read-only without cutting it', async () => {
    const writer = await open();
    await writer.append('s', [event('A')], 'no_stream');
    await writer.close();
    await appendFile(dir.path, '{"seq":2,"str');
    const size = (await stat(dir.path)).size;
    const reader = await open({ readOnly: true });
    expect(anomaliesOf(reader)).toEqual([expect.objectContaining({ kind: 'torn_tail' })]);
    expect((await readAllOf(reader)).map((e) => e.type)).toEqual(['A']);
    expect((await stat(dir.path)).size).toBe(size);
  });
});

describe('file log: a read-only subscriber', () => {
  it('receives what the writer appends, once each, even while it catches up', async () => {
    const writer = await open();
    const subscriptions: Subscription[] = [];
    const seen: LoggedEvent[][] = [];
    const readers = [
      await open({ readOnly: true, pollIntervalMs: 5 }),
      await open({ readOnly: true, pollIntervalMs: 5 }),
    ];
    for (let i = 0; i < 40; i++) {
      if (i % 10 === 0) {
        const got: LoggedEvent[] = [];
        seen.push(got);
        subscriptions.push(
          (readers[i % 20 === 0 ? 0 : 1] as FileEventLog).subscribeAll().subscribe((e) => got.push(e)),
        );
      }
      await writer.append(`s${i % 3}`, [event(`E${i}`, i)], 'any');
    }
    const ids = (await readAllOf(writer)).map((e) => e.id);
    for (const got of seen) {
      await eventually('every event', () => got.length >= ids.length);
      expect(got.map((e) => e.id)).toEqual(ids);
    }
    for (const subscription of subscriptions) subscription.unsubscribe();
  });

  it('holds a polling timer only while subscribed', async () => {
    await (await open()).append('s', [event('A')], 'no_stream');
    const reader = await open({ readOnly: true, pollIntervalMs: 50 });
    const timers = (): number => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
    const before = timers();
    const subscription = reader.subscribeAll().subscribe();
    expect(timers()).toBe(before + 1);
    subscription.unsubscribe();
    expect(timers()).toBe(before);
  });
});

describe('file log: fsync policy', () => {
  it("'always' syncs every append before acknowledging it", async () => {
    const log = await open({ fsync: 'always' });
    for (let i = 0; i < 5; i++) {
      await log.append('s', [event(`E${i}`)], 'any');
      expect(log.stats().fsyncs).toBeGreaterThanOrEqual(i + 1);
    }
  });

  it("'always' writes appends made together with one fsync, each its own record, checked in turn", async () => {
    const log = await open({ fsync: 'always' });
    await log.append('s', [event('A')], 'no_stream');
    const before = log.stats();
    const outcomes = await Promise.allSettled([
      log.append('s', [event('B')], 0),
      log.append('s', [event('C'), event('D')], 1),
      log.append('s', [event('X')], 1), // stale: the append before it moved the stream on
      log.append('t', [event('E')], 'no_stream'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const rejected = outcomes[2] as PromiseRejectedResult;
    expect(hasCode(rejected.reason, ErrorCodes.EXPECTED_REVISION_CONFLICT)).toBe(true);
    expect(log.stats().fsyncs - before.fsyncs).toBe(1);
    expect(log.stats().records - before.records).toBe(3);
    const all = await readAllOf(log);
    expect(all.map((e) => `${e.stream}:${e.revision}:${e.type}@${e.position}`)).toEqual([
      's:0:A@1',
      's:1:B@2',
      's:2:C@3',
      's:3:D@4',
      't:0:E@5',
    ]);
  });

  it('an interval syncs written appends in the background', async () => {
    const log = await open({ fsync: { intervalMs: 20 } });
    await log.append('s', [event('A')], 'any');
    await log.append('s', [event('B')], 'any');
    expect(log.stats().writes).toBe(2);
    await eventually('a background fsync', () => log.stats().fsyncs >= 1);
  });

  it('an interval still syncs what is pending on close', async () => {
    const log = await open({ fsync: { intervalMs: 3_600_000 } });
    await log.append('s', [event('A')], 'any');
    expect(log.stats().fsyncs).toBe(0);
    await log.close();
    expect(log.stats().fsyncs).toBe(1);
  });
});
