/**
 * The EventLog contract on a 3-server ensemble. interruptConnection kills (SIGKILL) the server the
 * log's session is connected to, waits until the session is connected to another one, then starts
 * the killed server again so that later tests keep a full ensemble.
 */
import { describe, it } from 'vitest';
import type { ZooKeeperSession } from '../../../src/infra/zookeeper/index.ts';
import { useZooKeeper, type ZooKeeperCluster } from '../../support/zookeeper.ts';
import { describeEventLogContract } from './contract.ts';
import { event, expectStrictlyGrowing, Watcher } from './contract-support.ts';
import {
  freshRoot,
  openLog,
  removeTree,
  SessionPool,
  throughReconnection,
  zooKeeperLogFixture,
} from './zookeeper/zookeeper-log-fixture.ts';

const zk = useZooKeeper({ servers: 3 });

async function killServerUnder(cluster: ZooKeeperCluster, session: ZooKeeperSession): Promise<void> {
  const address = session.current().server;
  const victim = cluster.servers.find((server) => server.connectString === address);
  if (victim === undefined) throw new Error(`the log session is on no known server (${String(address)})`);
  await throughReconnection(session, () => victim.kill());
  await victim.start();
}

describeEventLogContract('zookeeper (3-server ensemble)', () => zooKeeperLogFixture(zk(), killServerUnder), {
  timeoutMs: 180_000,
  waitMs: 60_000,
});

describe('zookeeper log on an ensemble: appends made while a subscriber reconnects', () => {
  it('delivers them once each, in order, after its session moved to another server', {
    timeout: 180_000,
  }, async () => {
    const cluster = zk();
    const pool = new SessionPool(() => cluster.connectString);
    const { root, top } = freshRoot();
    const subscriberSession = pool.open();
    const subscriberLog = await openLog(subscriberSession, root);
    const victim = cluster.servers.find((s) => s.connectString === subscriberSession.current().server)!;
    const elsewhere = cluster.servers.filter((s) => s !== victim).map((s) => s.connectString);
    const writerPool = new SessionPool(() => elsewhere.join(','));
    const writer = await openLog(writerPool.open(), root);
    const watcher = new Watcher(60_000, () => true);
    const subscription = watcher.attach(subscriberLog);
    try {
      await writer.append('s', [event('A', 1)], 'no_stream');
      await watcher.waitForCount(1);
      await throughReconnection(subscriberSession, async () => {
        await victim.kill();
        await writer.append('s', [event('B', 2), event('C', 3)], 0);
      });
      await writer.append('s', [event('D', 4)], 2);
      await watcher.waitForTypes(['A', 'B', 'C', 'D']);
      expectStrictlyGrowing(watcher.seen.map((e) => e.position));
    } finally {
      subscription.unsubscribe();
      await victim.start();
      await writer.close();
      await subscriberLog.close();
      await removeTree(writerPool.open(), top);
      await writerPool.closeAll();
      await pool.closeAll();
    }
  });
});
