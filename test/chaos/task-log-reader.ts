/**
 * The whole task log of a cluster as ZooKeeper stores it. The same read as readTaskLog in
 * test/support/taskd-cluster.ts, which cannot be imported outside vitest (it registers a hook).
 */
import type { LoggedEvent } from '../../src/infra/log/port.ts';
import { openZooKeeperEventLog } from '../../src/infra/log/zookeeper/zookeeper-event-log.ts';

/** Every event of `cluster`'s task log, in log order. */
export async function readTaskLog(zk: string, cluster: string): Promise<LoggedEvent[]> {
  const log = await openZooKeeperEventLog({
    cluster,
    connection: { connectString: zk, sessionTimeoutMs: 4_000, requestTimeoutMs: 3_000 },
  });
  try {
    const events: LoggedEvent[] = [];
    for await (const event of log.readAll()) events.push(event);
    return events;
  } finally {
    await log.close();
  }
}
