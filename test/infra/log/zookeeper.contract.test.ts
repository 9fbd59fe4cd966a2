/**
 * The EventLog contract on a standalone ZooKeeper. interruptConnection restarts the server (SIGTERM,
 * then start on the same data): the session outlives it, the subscription resumes by itself.
 * The ensemble run, where the server under the client is killed, is zookeeper-ensemble.contract.test.ts.
 */
import { useZooKeeper } from '../../support/zookeeper.ts';
import { describeEventLogContract } from './contract.ts';
import { throughReconnection, zooKeeperLogFixture } from './zookeeper/zookeeper-log-fixture.ts';

const zk = useZooKeeper({ servers: 1 });

describeEventLogContract(
  'zookeeper (standalone)',
  () =>
    zooKeeperLogFixture(zk(), (cluster, session) =>
      throughReconnection(session, () => cluster.servers[0]!.restart()),
    ),
  { timeoutMs: 120_000, waitMs: 30_000 },
);
