/**
 * The ZooKeeper task log's own behaviour, beyond the shared contract: the znode layout and encoding,
 * the expected-revision fence at the head's first version (node-zookeeper-client #67), batch size
 * limits with nothing written, a lost session, and close. Junk, compaction and ACLs have their files.
 */

import { describe, expect, it } from 'vitest';
import { ErrorCodes, hasCode } from '../../../src/errors.ts';
import { batchBytes } from '../../../src/infra/log/batch-size.ts';
import { openZooKeeperEventLog } from '../../../src/infra/log/zookeeper/zookeeper-event-log.ts';
import { expireSession, fourLetterWord, useZooKeeper, waitFor } from '../../support/zookeeper.ts';
import {
  batchOfBytes,
  collect,
  expectConflict,
  event as numberedEvent,
  Watcher,
} from './contract-support.ts';
import { useLogPerTest } from './zookeeper/log-per-test.ts';
import { openLog, REQUEST_TIMEOUT_MS, SESSION_TIMEOUT_MS } from './zookeeper/zookeeper-log-fixture.ts';

const zk = useZooKeeper({ servers: 1 });
const t = useLogPerTest(zk);

const event = (type: string, n = 0) => numberedEvent(type, n);
const children = async (path: string): Promise<readonly string[]> =>
  (await t.session.getChildren(path))?.children ?? [];
const json = async (path: string): Promise<unknown> =>
  JSON.parse((await t.session.getData(path))?.data.toString('utf8') ?? 'null');
const failureOf = (action: Promise<unknown>): Promise<unknown> =>
  action.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('znode layout', () => {
  it('stores one append as one sequential znode, named by its sequence, holding the whole batch', async () => {
    await t.log.append('orders', [event('A', 1), event('B', 2)], 'no_stream');
    await t.log.append('dispatch', [event('C', 3)], 'no_stream');
    expect(await children(`${t.root}/events`)).toEqual(['~0000000000', '~0000000001']);
    expect(await json(`${t.root}/events/~0000000001`)).toMatchObject({ stream: 'dispatch', revision: 0 });
    expect(await json(`${t.root}/events/~0000000000`)).toEqual({
      v: 1,
      stream: 'orders',
      revision: 0,
      events: [
        { id: expect.any(String), type: 'A', version: 1, data: { n: 1 }, meta: event('A', 1).meta },
        { id: expect.any(String), type: 'B', version: 1, data: { n: 2 }, meta: event('B', 2).meta },
      ],
    });
  });

  it("keeps each stream's length in its head, whose version counts the appends", async () => {
    await t.log.append('orders', [event('A'), event('B')], 'no_stream');
    expect(await json(`${t.root}/streams/orders`)).toEqual({ v: 1, length: 2 });
    expect((await t.session.exists(`${t.root}/streams/orders`))?.version).toBe(0);
    await t.log.append('orders', [event('C')], 1);
    expect(await json(`${t.root}/streams/orders`)).toEqual({ v: 1, length: 3 });
    expect((await t.session.exists(`${t.root}/streams/orders`))?.version).toBe(1);
  });

  it('derives positions from the sequence: sequence × 1 000 000 + index in the batch + 1', async () => {
    const first = await t.log.append('a', [event('A1'), event('A2'), event('A3')], 'no_stream');
    const second = await t.log.append('b', [event('B1')], 'no_stream');
    expect(first.position).toBe(3);
    expect(second.position).toBe(1_000_001);
    expect((await collect(t.log.readAll())).map((e) => e.position)).toEqual([1, 2, 3, 1_000_001]);
  });

  it('stores streams whose names are not znode-safe, and reads each back under its own name', async () => {
    const names = ['a/b', '.', '..', 'x~0000000001', '100%', 'sp ace', 'ünï 𝄞', 'zookeeper'];
    for (const name of names) await t.log.append(name, [event(`E-${name}`)], 'no_stream');
    for (const name of names) {
      expect((await collect(t.log.readStream(name))).map((e) => [e.stream, e.type])).toEqual([
        [name, `E-${name}`],
      ]);
    }
    expect((await collect(t.log.readAll())).map((e) => e.stream)).toEqual(names);
    expect(await children(`${t.root}/streams`)).toContain('a%2Fb');
  });

  it('refuses a stream name with no UTF-8 form, writing nothing', async () => {
    const failure = await failureOf(t.log.append('bad\uD800', [event('A')], 'any'));
    expect(hasCode(failure, ErrorCodes.VALIDATION)).toBe(true);
    expect(await children(`${t.root}/events`)).toEqual([]);
  });
});

describe('the expected revision at the head\u2019s first version (node-zookeeper-client #67)', () => {
  it('fails a multi that sets a head with version 0 once the head moved to version 1, creating nothing', async () => {
    await t.log.append('s', [event('A')], 'no_stream');
    await t.log.append('s', [event('B')], 0);
    const head = `${t.root}/streams/s`;
    expect((await t.session.exists(head))?.version).toBe(1);
    const stale = t.session.multi([
      { op: 'setData', path: head, data: '{"v":1,"length":2}', version: 0 },
      { op: 'create', path: `${t.root}/events/s~`, data: 'stale', sequential: true },
    ]);
    const failure = await failureOf(stale);
    expect(hasCode(failure, ErrorCodes.ZK_BAD_VERSION)).toBe(true);
    expect(await children(`${t.root}/events`)).toHaveLength(2);
  });

  it('lets exactly one of many racing appenders at expected revision 0 win, on fresh streams each time', async () => {
    const writers = [t.log, await openLog(t.pool.open(), t.root), await openLog(t.pool.open(), t.root)];
    for (const writer of writers.slice(1)) t.track(writer);
    for (let round = 0; round < 5; round++) {
      const stream = `first-${round}`;
      await t.log.append(stream, [event('A')], 'no_stream');
      const outcomes = await Promise.allSettled(
        Array.from({ length: 9 }, (_, i) => writers[i % writers.length]!.append(stream, [event(`R${i}`)], 0)),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect((await collect(t.log.readStream(stream))).map((e) => e.revision)).toEqual([0, 1]);
      expect((await t.session.exists(`${t.root}/streams/${stream}`))?.version).toBe(1);
    }
  });
});

describe('the heads a log remembers from its own appends', () => {
  it('takes a stale head for a guess: the version check decides, and a conflict names the head read after', async () => {
    const other = await openLog(t.pool.open(), t.root);
    t.track(other);
    await t.log.append('s', [event('A')], 'no_stream');
    await other.append('s', [event('B')], 0);
    // `log` still believes the stream is at 0: its multi fails on the version, then it reads the head.
    await expectConflict(t.log.append('s', [event('X')], 0), 's', 0, 1);
    await other.append('s', [event('C')], 1);
    // `log` believes 1, the caller says 2: it reads the head before concluding, and the append holds.
    expect((await t.log.append('s', [event('D')], 2)).nextExpectedRevision).toBe(3);
    expect((await collect(t.log.readStream('s'))).map((e) => e.type)).toEqual(['A', 'B', 'C', 'D']);
  });
});

describe('batch size', () => {
  it('rejects an oversized append before writing anything: no znode is created or changed', async () => {
    await t.log.append('s', [event('A')], 'no_stream');
    const before = {
      events: await children(`${t.root}/events`),
      head: await t.session.exists(`${t.root}/streams/s`),
    };
    for (const [stream, expected] of [['s', 0] as const, ['new', 'no_stream'] as const]) {
      const failure = await failureOf(t.log.append(stream, batchOfBytes(900_001), expected));
      expect(hasCode(failure, ErrorCodes.BATCH_TOO_LARGE)).toBe(true);
    }
    expect(await children(`${t.root}/events`)).toEqual(before.events);
    expect(await children(`${t.root}/streams`)).toEqual(['s']);
    expect((await t.session.exists(`${t.root}/streams/s`))?.version).toBe(before.head?.version);
  });

  it('rejects a batch under maxBatchBytes whose znode would not fit once ids are added', async () => {
    const tiny = Array.from({ length: 11_000 }, () => ({
      type: 'T',
      version: 1,
      data: 0,
      meta: { node: 'n', incarnation: 1, at: 1 },
    }));
    expect(batchBytes(tiny)).toBeLessThan(900_000);
    const failure = await failureOf(t.log.append('tiny', tiny, 'no_stream'));
    expect(hasCode(failure, ErrorCodes.BATCH_TOO_LARGE)).toBe(true);
    expect(failure).toMatchObject({ details: { limit: 1_000_000 } });
    expect(await children(`${t.root}/events`)).toEqual([]);
  });
});

describe('when the answer to an append is lost', () => {
  it('sends the append again and stores it exactly once', async () => {
    // A short session: the adapter drops a silent connection after half of it.
    const session = t.pool.open({ sessionTimeoutMs: 8_000, requestTimeoutMs: 30_000 });
    const log = t.track(await openLog(session, t.root));
    await log.append('s', [event('A')], 'no_stream');
    const states: string[] = [];
    const recording = session.state$.subscribe((state) => states.push(state.state));
    const server = zk().servers[0]!;
    await server.pause();
    let appending: Promise<unknown>;
    try {
      appending = log.append('s', [event('B')], 0);
      await waitFor(() => states.includes('disconnected'), { what: 'the silent connection to be dropped' });
    } finally {
      await server.resume();
    }
    await expect(appending).resolves.toMatchObject({ nextExpectedRevision: 1 });
    recording.unsubscribe();
    expect((await collect(log.readStream('s'))).map((e) => [e.type, e.revision])).toEqual([
      ['A', 0],
      ['B', 1],
    ]);
  });
});

describe('when the session expires', () => {
  it('ends subscriptions and fails appends with LOG_UNAVAILABLE, naming the cause', async () => {
    const watcher = new Watcher(30_000, () => true);
    watcher.attach(t.log);
    await t.log.append('s', [event('A')], 'no_stream');
    await watcher.waitForCount(1);
    const { sessionId, password } = t.session.credentials();
    await expireSession(zk().connectString, Buffer.from(sessionId, 'hex'), Buffer.from(password, 'hex'));
    await watcher.waitForEnd();
    expect(watcher.failed).toMatchObject({
      code: ErrorCodes.LOG_UNAVAILABLE,
      details: { zkCode: 'ZK_SESSION_EXPIRED' },
    });
    const failure = await failureOf(t.log.append('s', [event('B')], 0));
    expect(failure).toMatchObject({
      code: ErrorCodes.LOG_UNAVAILABLE,
      details: { zkCode: 'ZK_SESSION_EXPIRED' },
    });
  });
});

describe('close', () => {
  it('waits for an append in flight, then rejects later calls with LOG_CLOSED', async () => {
    const appending = t.log.append('s', [event('A')], 'no_stream');
    await t.log.close();
    await expect(appending).resolves.toMatchObject({ nextExpectedRevision: 0 });
    expect(hasCode(await failureOf(collect(t.log.readAll())), ErrorCodes.LOG_CLOSED)).toBe(true);
    const reader = await openLog(t.pool.open(), t.root);
    t.track(reader);
    expect((await collect(reader.readAll())).map((e) => e.type)).toEqual(['A']);
  });

  it('leaves a session it was given open', async () => {
    await t.log.close();
    expect(t.session.current().state).toBe('connected');
    expect(await children(`${t.root}/events`)).toEqual([]);
  });

  it('closes the session it opened itself', async () => {
    const connections = async () => {
      const port = zk().servers[0]!.clientPort;
      const cons = await fourLetterWord('127.0.0.1', port, 'cons');
      return cons.split('\n').filter((line) => /sid=0x[0-9a-f]+/.test(line)).length;
    };
    await children(`${t.root}/events`); // the test's own session is connected
    const before = await connections();
    const own = await openZooKeeperEventLog({
      cluster: 'test',
      root: t.root,
      connection: {
        connectString: zk().connectString,
        sessionTimeoutMs: SESSION_TIMEOUT_MS,
        requestTimeoutMs: REQUEST_TIMEOUT_MS,
      },
    });
    await own.append('s', [event('A')], 'no_stream');
    expect(await connections()).toBe(before + 1);
    await Promise.all([own.close(), own.close()]);
    await waitFor(async () => (await connections()) === before, { what: 'the log session to be closed' });
  });
});
