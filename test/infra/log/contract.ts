/**
 * THE contract every task-log backend must pass, written once (emmett's shape: one suite, many stores).
 *
 * Use it from a `*.contract.test.ts` file:
 *
 *   describeEventLogContract('zookeeper', async () => {
 *     const log = await openZkEventLog(...);
 *     return { log, maxBatchBytes: 900_000, openSecondWriter, reopen, interruptConnection, destroy };
 *   });
 *
 * `makeFixture` runs before EVERY test and `destroy` after it. The fixture:
 * - `log`: a client open for writing on a store. The store MAY be shared between tests (one
 *   ZooKeeper, one EventStoreDB): every test uses its own stream names and only looks at those.
 * - `maxBatchBytes`: the backend's batch limit as measured by `batchBytes()` in
 *   src/infra/log/batch-size.ts (UTF-8 JSON of the events as given). A batch one byte under it must
 *   be stored; one byte over it must fail with BATCH_TOO_LARGE, storing nothing.
 * - `openSecondWriter?()`: another client on the same store, as a second process would open it.
 *   Racing tests spread their appenders over both clients. Absent: they race on `log` alone.
 * - `reopen?()`: a new client on the same store, called after `log` was closed; absent: the
 *   persistence test only checks what it can and says so in an annotation.
 * - `interruptConnection?()`: breaks the connection under `log` (e.g. restarts the ZooKeeper
 *   server, drops the TCP connection) and resolves once clients can work again; open subscriptions
 *   must resume by themselves. Absent: that test runs without an interruption and says so.
 * - `destroy()`: closes what the fixture opened and removes the store's data. The suite closes
 *   every client it got (log, second writers, reopened logs) before calling it.
 *
 * A capability the fixture lacks never makes a test vanish: the test runs with what there is and
 * records an annotation (visible in the reporter) saying what it could not exercise.
 */
import { randomUUID } from 'node:crypto';
import type { Subscription } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCodes, hasCode } from '../../../src/errors.ts';
import { batchBytes } from '../../../src/infra/log/batch-size.ts';
import {
  type EventLog,
  type EventToAppend,
  type ExpectedRevision,
  ExpectedRevisionConflict,
  type LoggedEvent,
} from '../../../src/infra/log/port.ts';
import { waitFor } from '../../support/wait-for.ts';
import {
  batchOfBytes,
  collect,
  event,
  expectConflict,
  expectStrictlyGrowing,
  Watcher,
} from './contract-support.ts';

/** What a backend hands the suite for ONE test (see the header for the full semantics). */
export interface EventLogFixture {
  /** Open for writing; the store may be shared with other tests. */
  readonly log: EventLog;
  /** The backend's limit, by batchBytes(): max-1 is stored, max+1 is BATCH_TOO_LARGE. */
  readonly maxBatchBytes: number;
  /** Another client on the same store, for concurrent writers. */
  openSecondWriter?(): Promise<EventLog>;
  /** A new client on the same store, called after `log` was closed. */
  reopen?(): Promise<EventLog>;
  /** Breaks `log`'s connection; resolves once clients can work again. */
  interruptConnection?(): Promise<void>;
  /** Closes what the fixture opened and removes the test's data. */
  destroy(): Promise<void>;
}

export interface ContractOptions {
  /** Per-test timeout; generous for real servers. Default 60 s. */
  readonly timeoutMs?: number;
  /** Bound for waiting on a subscription to see an event. Default 20 s. */
  readonly waitMs?: number;
}

const RACERS = 8;

/** Declares the EventLog contract tests for one backend. */
export function describeEventLogContract(
  name: string,
  makeFixture: () => Promise<EventLogFixture>,
  options: ContractOptions = {},
): void {
  const waitMs = options.waitMs ?? 20_000;

  describe(`EventLog contract: ${name}`, { timeout: options.timeoutMs ?? 60_000 }, () => {
    let fixture: EventLogFixture;
    let opened: EventLog[];
    let subscriptions: Subscription[];
    let prefix: string;

    beforeEach(async () => {
      fixture = await makeFixture();
      opened = [fixture.log];
      subscriptions = [];
      prefix = `c${randomUUID().slice(0, 8)}`;
    });

    afterEach(async () => {
      for (const subscription of subscriptions) subscription.unsubscribe();
      for (const log of opened) await log.close();
      await fixture.destroy();
    });

    /** A stream name owned by the current test. */
    const streamName = (label: string): string => `${prefix}-${label}`;
    const ours = (event: LoggedEvent): boolean => event.stream.startsWith(`${prefix}-`);

    const secondWriter = async (): Promise<EventLog | undefined> => {
      if (fixture.openSecondWriter === undefined) return undefined;
      const log = await fixture.openSecondWriter();
      opened.push(log);
      return log;
    };

    /** Subscribes, keeping what this test's streams emit; cleaned up after the test. */
    const watch = (log: EventLog, after?: number): Watcher => {
      const watcher = new Watcher(waitMs, ours);
      subscriptions.push(watcher.attach(log, after));
      return watcher;
    };

    describe('reading', () => {
      it('reads a stream back in revision order, starting at revision 0', async () => {
        const stream = streamName('orders');
        await fixture.log.append(stream, [event('A', 1), event('B', 2)], 'no_stream');
        await fixture.log.append(stream, [event('C', 3)], 1);
        const read = await collect(fixture.log.readStream(stream));
        expect(read.map((e) => [e.type, e.revision, e.stream])).toEqual([
          ['A', 0, stream],
          ['B', 1, stream],
          ['C', 2, stream],
        ]);
      });

      it('stores type, version, data and meta as given, keeps a given id and makes one when absent', async () => {
        const stream = streamName('shape');
        const given: EventToAppend = {
          id: randomUUID(),
          type: 'TaskSubmitted',
          version: 2,
          data: { taskId: 't-1', args: ['a', 1, true, null], nested: { deep: 'ü€𝄞' } },
          meta: { node: 'n1', incarnation: 3, epoch: 7, causationId: 'c-9', at: 1_700_000_000_123 },
        };
        await fixture.log.append(stream, [given, event('Plain', 1)], 'no_stream');
        const [first, second] = await collect(fixture.log.readStream(stream));
        expect(first).toMatchObject({ ...given, stream, revision: 0 });
        expect(second?.id).toEqual(expect.any(String));
        expect(second?.id).not.toBe('');
        expect(second?.id).not.toBe(first?.id);
      });

      it('reads a stream from a given revision, inclusive', async () => {
        const stream = streamName('from');
        await fixture.log.append(stream, [event('A', 1), event('B', 2), event('C', 3)], 'no_stream');
        const read = await collect(fixture.log.readStream(stream, 1));
        expect(read.map((e) => e.revision)).toEqual([1, 2]);
      });

      it('reads a stream that was never written as empty', async () => {
        expect(await collect(fixture.log.readStream(streamName('nothing')))).toEqual([]);
      });

      it('reads every stream in one global order: the order appends were acknowledged', async () => {
        const [a, b] = [streamName('a'), streamName('b')];
        await fixture.log.append(a, [event('A1', 1)], 'no_stream');
        await fixture.log.append(b, [event('B1', 2)], 'no_stream');
        await fixture.log.append(a, [event('A2', 3), event('A3', 4)], 0);
        await fixture.log.append(b, [event('B2', 5)], 0);
        const all = (await collect(fixture.log.readAll())).filter(ours);
        expect(all.map((e) => e.type)).toEqual(['A1', 'B1', 'A2', 'A3', 'B2']);
      });

      it('gives positions that strictly grow, across streams and within one append', async () => {
        const results = [];
        for (let i = 0; i < 6; i++) {
          const stream = streamName(`p${i % 2}`);
          results.push(await fixture.log.append(stream, [event(`E${i}`, i), event(`F${i}`, i)], 'any'));
        }
        const positions = (await collect(fixture.log.readAll())).filter(ours).map((e) => e.position);
        expect(positions).toHaveLength(12);
        expectStrictlyGrowing(positions);
        expectStrictlyGrowing(results.map((r) => r.position));
      });

      it('reports the revision and position of the last event an append wrote', async () => {
        const stream = streamName('result');
        const first = await fixture.log.append(stream, [event('A', 1), event('B', 2)], 'no_stream');
        const second = await fixture.log.append(stream, [event('C', 3)], first.nextExpectedRevision);
        expect(first.nextExpectedRevision).toBe(1);
        expect(second.nextExpectedRevision).toBe(2);
        const read = await collect(fixture.log.readStream(stream));
        expect(read[1]?.position).toBe(first.position);
        expect(read[2]?.position).toBe(second.position);
      });

      it('reads all after a position: strictly later events only', async () => {
        const stream = streamName('after');
        await fixture.log.append(stream, [event('A', 1)], 'no_stream');
        const middle = await fixture.log.append(stream, [event('B', 2)], 0);
        await fixture.log.append(stream, [event('C', 3), event('D', 4)], 1);
        const after = (await collect(fixture.log.readAll(middle.position))).filter(ours);
        expect(after.map((e) => e.type)).toEqual(['C', 'D']);
        expect(after.every((e) => e.position > middle.position)).toBe(true);
      });
    });

    describe('expected revision', () => {
      it("appends with 'no_stream' only while the stream does not exist", async () => {
        const stream = streamName('new');
        await fixture.log.append(stream, [event('A', 1)], 'no_stream');
        await expectConflict(
          fixture.log.append(stream, [event('B', 2)], 'no_stream'),
          stream,
          'no_stream',
          0,
        );
      });

      it("appends with 'exists' only once the stream has an event", async () => {
        const stream = streamName('exists');
        await expectConflict(
          fixture.log.append(stream, [event('A', 1)], 'exists'),
          stream,
          'exists',
          'no_stream',
        );
        await fixture.log.append(stream, [event('A', 1)], 'no_stream');
        await fixture.log.append(stream, [event('B', 2)], 'exists');
        expect(await collect(fixture.log.readStream(stream))).toHaveLength(2);
      });

      it("appends with 'any' whether or not the stream exists", async () => {
        const stream = streamName('any');
        await fixture.log.append(stream, [event('A', 1)], 'any');
        await fixture.log.append(stream, [event('B', 2)], 'any');
        expect((await collect(fixture.log.readStream(stream))).map((e) => e.revision)).toEqual([0, 1]);
      });

      it('appends with an exact revision when it is the revision of the last event', async () => {
        const stream = streamName('exact');
        let expected: ExpectedRevision = 'no_stream';
        for (let i = 0; i < 4; i++) {
          expected = (await fixture.log.append(stream, [event(`E${i}`, i)], expected)).nextExpectedRevision;
          expect(expected).toBe(i);
        }
      });

      it('treats expected revision 0 as exact, never as "any version"', async () => {
        const stream = streamName('zero');
        await expectConflict(fixture.log.append(stream, [event('A', 1)], 0), stream, 0, 'no_stream');
        await fixture.log.append(stream, [event('A', 1)], 'no_stream');
        await fixture.log.append(stream, [event('B', 2)], 0);
        await expectConflict(fixture.log.append(stream, [event('C', 3)], 0), stream, 0, 1);
        expect((await collect(fixture.log.readStream(stream))).map((e) => e.type)).toEqual(['A', 'B']);
      });

      it('rejects every wrong expectation with its expected and actual revision, at every revision', async () => {
        const stream = streamName('every');
        for (let at = -1; at < 4; at++) {
          const actual = at === -1 ? 'no_stream' : at;
          const wrong: ExpectedRevision[] = [at + 1, at + 2, at === -1 ? 'exists' : 'no_stream'];
          if (at >= 0) wrong.push(at - 1);
          if (at >= 1) wrong.push(0);
          for (const expected of wrong) {
            if (expected === -1) continue; // -1 is no revision a caller can name
            await expectConflict(
              fixture.log.append(stream, [event('X', 0)], expected),
              stream,
              expected,
              actual,
            );
          }
          await fixture.log.append(stream, [event(`E${at + 1}`, at + 1)], at === -1 ? 'no_stream' : at);
        }
        expect((await collect(fixture.log.readStream(stream))).map((e) => e.type)).toEqual([
          'E0',
          'E1',
          'E2',
          'E3',
          'E4',
        ]);
      });

      it('stores nothing of an append whose expectation fails', async () => {
        const stream = streamName('nothing-stored');
        await fixture.log.append(stream, [event('A', 1)], 'no_stream');
        await expectConflict(
          fixture.log.append(stream, [event('X1', 2), event('X2', 3), event('X3', 4)], 5),
          stream,
          5,
          0,
        );
        expect((await collect(fixture.log.readStream(stream))).map((e) => e.type)).toEqual(['A']);
        expect((await collect(fixture.log.readAll())).filter(ours).map((e) => e.type)).toEqual(['A']);
      });

      it('lets exactly one of many racing appenders win each revision, the first one included', async (context) => {
        const other = await secondWriter();
        if (other === undefined) await context.annotate('no openSecondWriter: racers share one client');
        const clients = other === undefined ? [fixture.log] : [fixture.log, other];
        const stream = streamName('race');
        const rounds: ['no_stream' | number, number][] = [
          ['no_stream', 0],
          [0, 1],
          [1, 2],
          [2, 3],
        ];
        for (const [expected, actualForLosers] of rounds) {
          const outcomes = await Promise.allSettled(
            Array.from({ length: RACERS }, (_, racer) =>
              (clients[racer % clients.length] as EventLog).append(
                stream,
                [event(`R${String(expected)}-${racer}`, racer)],
                expected,
              ),
            ),
          );
          const winners = outcomes.filter((o) => o.status === 'fulfilled');
          const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
          expect(winners).toHaveLength(1);
          for (const loser of losers) {
            expect(loser.reason).toBeInstanceOf(ExpectedRevisionConflict);
            expect(loser.reason).toMatchObject({ stream, expected, actual: actualForLosers });
          }
        }
        const read = await collect(fixture.log.readStream(stream));
        expect(read.map((e) => e.revision)).toEqual([0, 1, 2, 3]);
      });

      it("lets racing 'exists' and 'any' appenders all win, each at its own revision", async () => {
        const other = await secondWriter();
        const clients = other === undefined ? [fixture.log] : [fixture.log, other];
        const stream = streamName('race-any');
        await fixture.log.append(stream, [event('First', 0)], 'no_stream');
        const results = await Promise.all(
          Array.from({ length: RACERS }, (_, racer) =>
            (clients[racer % clients.length] as EventLog).append(
              stream,
              [event(`R${racer}`, racer)],
              racer % 2 === 0 ? 'any' : 'exists',
            ),
          ),
        );
        const revisions = results.map((r) => r.nextExpectedRevision).sort((x, y) => x - y);
        expect(revisions).toEqual(Array.from({ length: RACERS }, (_, i) => i + 1));
      });
    });

    describe('atomic appends', () => {
      it('keeps the events of one append contiguous in the global order while other streams append', async () => {
        const other = (await secondWriter()) ?? fixture.log;
        const [batch, noise] = [streamName('batch'), streamName('noise')];
        const batchEvents = Array.from({ length: 5 }, (_, i) => event(`Batch${i}`, i));
        await Promise.all([
          ...Array.from({ length: 6 }, (_, i) => other.append(noise, [event(`Noise${i}`, i)], 'any')),
          fixture.log.append(batch, batchEvents, 'no_stream'),
          ...Array.from({ length: 6 }, (_, i) => fixture.log.append(noise, [event(`Late${i}`, i)], 'any')),
        ]);
        const all = await collect(fixture.log.readAll());
        const start = all.findIndex((e) => e.stream === batch);
        expect(all.slice(start, start + 5).map((e) => e.type)).toEqual(batchEvents.map((e) => e.type));
        expect(all.filter((e) => e.stream === batch)).toHaveLength(5);
      });

      it('stores a batch just under maxBatchBytes whole', async () => {
        const stream = streamName('big');
        const events = batchOfBytes(fixture.maxBatchBytes - 1);
        expect(batchBytes(events)).toBe(fixture.maxBatchBytes - 1);
        const result = await fixture.log.append(stream, events, 'no_stream');
        expect(result.nextExpectedRevision).toBe(events.length - 1);
        const read = await collect(fixture.log.readStream(stream));
        expect(read.map((e) => e.data)).toEqual(events.map((e) => e.data));
      });

      it('rejects a batch over maxBatchBytes with BATCH_TOO_LARGE and stores none of it', async () => {
        const stream = streamName('too-big');
        const events = batchOfBytes(fixture.maxBatchBytes + 1);
        const failure = await fixture.log.append(stream, events, 'no_stream').then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(hasCode(failure, ErrorCodes.BATCH_TOO_LARGE)).toBe(true);
        expect(await collect(fixture.log.readStream(stream))).toEqual([]);
        expect((await collect(fixture.log.readAll())).filter(ours)).toEqual([]);
        await fixture.log.append(stream, [event('After', 1)], 'no_stream'); // the stream was not created
      });
    });

    describe('subscribeAll', () => {
      it('catches up from the start, then goes live', async () => {
        const stream = streamName('sub');
        await fixture.log.append(stream, [event('Old1', 1), event('Old2', 2)], 'no_stream');
        const watcher = watch(fixture.log);
        await watcher.waitForTypes(['Old1', 'Old2']);
        await fixture.log.append(stream, [event('New1', 3)], 1);
        await fixture.log.append(stream, [event('New2', 4)], 2);
        await watcher.waitForTypes(['Old1', 'Old2', 'New1', 'New2']);
        expectStrictlyGrowing(watcher.seen.map((e) => e.position));
      });

      it('tells a subscriber that appends while it is told of a batch every event once, in order', async () => {
        // The runner does exactly this: it reports TaskStarted as soon as it sees its TaskAssigned.
        const stream = streamName('batch');
        const replies = streamName('replies');
        const seen: LoggedEvent[] = [];
        let replied = false;
        subscriptions.push(
          fixture.log.subscribeAll().subscribe((logged) => {
            if (!ours(logged)) return;
            seen.push(logged);
            if (logged.type === 'B1' && !replied) {
              replied = true;
              void fixture.log.append(replies, [event('Reply', 9)], 'any');
            }
          }),
        );
        await fixture.log.append(stream, [event('B1', 1), event('B2', 2), event('B3', 3)], 'no_stream');
        const watcher = watch(fixture.log);
        await watcher.waitForCount(4);
        await waitFor(() => seen.length >= 4, {
          what: 'the appending subscriber to see 4 events',
          timeoutMs: waitMs,
        });
        expect(seen.map((e) => e.type)).toEqual(['B1', 'B2', 'B3', 'Reply']);
        expectStrictlyGrowing(seen.map((e) => e.position));
      });

      it('subscribes after a position: only strictly later events, history then live', async () => {
        const stream = streamName('sub-after');
        await fixture.log.append(stream, [event('A', 1)], 'no_stream');
        const mark = await fixture.log.append(stream, [event('B', 2)], 0);
        await fixture.log.append(stream, [event('C', 3)], 1);
        const watcher = watch(fixture.log, mark.position);
        await fixture.log.append(stream, [event('D', 4)], 2);
        await watcher.waitForTypes(['C', 'D']);
      });

      it('neither loses nor repeats an event when appends race with subscriptions starting', async () => {
        const other = (await secondWriter()) ?? fixture.log;
        const [a, b] = [streamName('ra'), streamName('rb')];
        const watchers: Watcher[] = [];
        const appends: Promise<unknown>[] = [];
        let chainA: Promise<unknown> = Promise.resolve();
        let chainB: Promise<unknown> = Promise.resolve();
        for (let i = 0; i < 30; i++) {
          if (i % 6 === 0) watchers.push(watch(i % 12 === 0 ? fixture.log : other));
          chainA = chainA.then(() => fixture.log.append(a, [event(`A${i}`, i)], 'any'));
          chainB = chainB.then(() => other.append(b, [event(`B${i}`, i), event(`B${i}bis`, i)], 'any'));
          appends.push(chainA, chainB);
          if (i % 5 === 0) await chainA; // let some appends land between subscription starts
        }
        await Promise.all(appends);
        const expected = (await collect(fixture.log.readAll())).filter(ours).map((e) => e.id);
        expect(expected).toHaveLength(90);
        for (const watcher of watchers) {
          await watcher.waitForCount(expected.length);
          expect(watcher.seen.map((e) => e.id)).toEqual(expected);
        }
      });

      it('neither loses nor repeats an event across an interrupted connection', async (context) => {
        const stream = streamName('reconnect');
        const watcher = watch(fixture.log);
        await fixture.log.append(stream, [event('Before1', 1), event('Before2', 2)], 'no_stream');
        await watcher.waitForCount(2);
        if (fixture.interruptConnection === undefined) {
          await context.annotate('no interruptConnection: the subscription ran without an interruption');
        } else {
          await fixture.interruptConnection();
        }
        const other = (await secondWriter()) ?? fixture.log;
        await other.append(stream, [event('After1', 3)], 1);
        await fixture.log.append(stream, [event('After2', 4)], 2);
        await watcher.waitForTypes(['Before1', 'Before2', 'After1', 'After2']);
        expectStrictlyGrowing(watcher.seen.map((e) => e.position));
      });

      it('emits nothing after unsubscribe and runs its teardown', async () => {
        const stream = streamName('unsub');
        const stopped = watch(fixture.log);
        await fixture.log.append(stream, [event('A', 1)], 'no_stream');
        await stopped.waitForCount(1);
        stopped.unsubscribe();
        expect(stopped.tornDown).toBe(true);
        const witness = watch(fixture.log);
        await fixture.log.append(stream, [event('B', 2)], 0);
        await witness.waitForTypes(['A', 'B']);
        expect(stopped.seen.map((e) => e.type)).toEqual(['A']);
        expect(stopped.completed || stopped.failed !== undefined).toBe(false);
      });

      it('ends open subscriptions when the log closes, emitting nothing after', async () => {
        const stream = streamName('close-sub');
        const watcher = watch(fixture.log);
        await fixture.log.append(stream, [event('A', 1)], 'no_stream');
        await watcher.waitForCount(1);
        await fixture.log.close();
        await watcher.waitForEnd();
        expect(watcher.failed === undefined || hasCode(watcher.failed, ErrorCodes.LOG_CLOSED)).toBe(true);
        expect(watcher.seen.map((e) => e.type)).toEqual(['A']);
      });
    });

    describe('close', () => {
      it('is idempotent, sequentially and concurrently', async () => {
        await Promise.all([fixture.log.close(), fixture.log.close()]);
        await fixture.log.close();
      });

      it('rejects an append after close with LOG_CLOSED', async () => {
        await fixture.log.close();
        const failure = await fixture.log.append(streamName('late'), [event('A', 1)], 'any').then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(hasCode(failure, ErrorCodes.LOG_CLOSED)).toBe(true);
      });

      it('keeps events, revisions and positions across close and reopen', async (context) => {
        const stream = streamName('durable');
        const before = await fixture.log.append(stream, [event('A', 1), event('B', 2)], 'no_stream');
        await fixture.log.close();
        if (fixture.reopen === undefined) {
          await context.annotate('no reopen: persistence across close not checked');
          return;
        }
        const again = await fixture.reopen();
        opened.push(again);
        expect((await collect(again.readStream(stream))).map((e) => e.type)).toEqual(['A', 'B']);
        await expectConflict(again.append(stream, [event('C', 3)], 0), stream, 0, 1);
        const after = await again.append(stream, [event('C', 3)], 1);
        expect(after.nextExpectedRevision).toBe(2);
        expect(after.position).toBeGreaterThan(before.position);
      });
    });
  });
}
