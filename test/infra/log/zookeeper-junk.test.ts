/**
 * Junk under the ZooKeeper task log's root, written by another client (a foreign name, data that is
 * not JSON or not a batch, a batch in the wrong stream, a stream head holding junk): reported once on
 * anomalies$ with the znode's path and sequence, skipped, never thrown.
 */
import { describe, expect, it } from 'vitest';
import type { Anomaly } from '../../../src/domain/event.ts';
import type { EventLog } from '../../../src/infra/log/port.ts';
import { useZooKeeper } from '../../support/zookeeper.ts';
import { collect, event as numberedEvent, Watcher } from './contract-support.ts';
import { useLogPerTest } from './zookeeper/log-per-test.ts';

const zk = useZooKeeper({ servers: 1 });
const t = useLogPerTest(zk);

const event = (type: string) => numberedEvent(type, 0);
const json = async (path: string): Promise<unknown> =>
  JSON.parse((await t.session.getData(path))?.data.toString('utf8') ?? 'null');
const anomaliesOf = (source: EventLog): Anomaly[] => {
  const seen: Anomaly[] = [];
  source.anomalies$.subscribe((anomaly) => seen.push(anomaly));
  return seen;
};

describe('junk written under the root by another client', () => {
  it('reports each junk znode once, with its path and sequence, and skips it', async () => {
    const anomalies = anomaliesOf(t.log);
    const other = t.pool.open();
    await t.log.append('orders', [event('A')], 'no_stream');
    await other.create(`${t.root}/events/garbage`, { data: 'x' });
    const notJson = await other.create(`${t.root}/events/orders~`, { data: '{nope', sequential: true });
    const wrongShape = await other.create(`${t.root}/events/orders~`, { data: '{"v":1}', sequential: true });
    const otherStream = await other.create(`${t.root}/events/orders~`, {
      data: JSON.stringify({ v: 1, stream: 'billing', revision: 0, events: [{ ...event('X'), id: 'x' }] }),
      sequential: true,
    });
    await t.log.append('orders', [event('B')], 0);
    for (let i = 0; i < 2; i++) {
      expect((await collect(t.log.readAll())).map((e) => e.type)).toEqual(['A', 'B']);
    }
    expect((await collect(t.log.readStream('orders'))).map((e) => e.type)).toEqual(['A', 'B']);
    expect(anomalies.map((a) => [a.kind, a.location?.source])).toEqual([
      ['foreign-znode', `${t.root}/events/garbage`],
      ['unparseable-batch', notJson],
      ['unparseable-batch', wrongShape],
      ['unparseable-batch', otherStream],
    ]);
    expect(anomalies[1]?.location?.position).toBe(2_000_001);
    expect(anomalies[1]?.message).toContain('sequence 2');
  });

  it('keeps a subscription going past junk that arrives while it is live', async () => {
    const anomalies = anomaliesOf(t.log);
    const watcher = new Watcher(30_000, () => true);
    const subscription = watcher.attach(t.log);
    await t.log.append('s', [event('A')], 'no_stream');
    await watcher.waitForCount(1);
    const junk = await t.pool.open().create(`${t.root}/events/s~`, { data: 'junk', sequential: true });
    await t.log.append('s', [event('B')], 0);
    await watcher.waitForTypes(['A', 'B']);
    subscription.unsubscribe();
    expect(anomalies.map((a) => a.location?.source)).toEqual([junk]);
  });

  it('keeps a live subscription going past junk named like the next batch, reporting it once', async () => {
    const anomalies = anomaliesOf(t.log);
    const watcher = new Watcher(30_000, () => true);
    const subscription = watcher.attach(t.log);
    await t.log.append('s', [event('A')], 'no_stream');
    await watcher.waitForCount(1);
    const junk = await t.pool.open().create(`${t.root}/events/~`, { data: '{nope', sequential: true });
    await t.log.append('s', [event('B')], 0);
    await t.log.append('s', [event('C')], 1);
    await watcher.waitForTypes(['A', 'B', 'C']);
    subscription.unsubscribe();
    expect(anomalies.map((a) => [a.kind, a.location?.source])).toEqual([['unparseable-batch', junk]]);
  });

  it('repairs a head holding junk from the batches, reporting it', async () => {
    const anomalies = anomaliesOf(t.log);
    await t.log.append('s', [event('A'), event('B')], 'no_stream');
    await t.pool.open().setData(`${t.root}/streams/s`, 'junk');
    const result = await t.log.append('s', [event('C')], 1);
    expect(result.nextExpectedRevision).toBe(2);
    expect(await json(`${t.root}/streams/s`)).toEqual({ v: 1, length: 3 });
    expect(anomalies.map((a) => a.kind)).toEqual(['unparseable-stream-head']);
  });
});
