/**
 * The whole task log of a cluster as ZooKeeper stores it, read through a log of its own. Apart from
 * taskd-cluster.ts, which registers a vitest hook, so that the chaos runner can read it outside vitest.
 */
import type { LoggedEvent } from '../../src/infra/log/port.ts';
import { readWholeLog } from '../../src/infra/log/read-whole-log.ts';
import { openZooKeeperEventLog } from '../../src/infra/log/zookeeper/zookeeper-event-log.ts';

/** Every event of `cluster`'s task log, in log order. */
export async function readTaskLog(zk: string, cluster: string): Promise<LoggedEvent[]> {
  const log = await openZooKeeperEventLog({
    cluster,
    connection: { connectString: zk, sessionTimeoutMs: 4_000, requestTimeoutMs: 3_000 },
  });
  return readWholeLog(log);
}
