/**
 * Opens the task log a node's configuration names: `zookeeper` on the incarnation's own session,
 * `eventstoredb` by connection string, or `file` in the data directory.
 */
import { join } from 'node:path';
import type { Config } from '../config/schema.ts';
import type { ZooKeeperSession } from '../zookeeper/index.ts';
import { createEventStoreDbLog } from './eventstoredb/eventstoredb-log.ts';
import { openFileEventLog } from './file/file-event-log.ts';
import type { EventLog } from './port.ts';
import { openZooKeeperEventLog } from './zookeeper/zookeeper-event-log.ts';

/** The task log for `config`, using `session` for the zookeeper backend. */
export async function openTaskLog(config: Config, session: ZooKeeperSession): Promise<EventLog> {
  const { backend, esdbUrl, fsync } = config.taskLog;
  switch (backend) {
    case 'zookeeper':
      return openZooKeeperEventLog({
        cluster: config.cluster,
        session,
        ...(config.zookeeper.auth === undefined ? {} : { auth: config.zookeeper.auth }),
      });
    case 'eventstoredb':
      return createEventStoreDbLog({ connectionString: esdbUrl as string, cluster: config.cluster });
    case 'file':
      return openFileEventLog({
        path: join(config.dataDir, 'tasks.log.jsonl'),
        fsync: fsync === 'always' ? 'always' : { intervalMs: fsync },
      });
  }
}
