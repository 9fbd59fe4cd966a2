/**
 * Opens the task log a spec names, through the EventLog port, for reading only. The backends are
 * imported when needed so that a replay of files never loads the ZooKeeper or EventStoreDB clients.
 */
import type { EventLog } from '../../infra/log/port.ts';
import type { TaskLogSpec } from './task-log-spec.ts';

/** How long a replay waits on a remote log before giving up; generous, a post-mortem is not urgent. */
const REMOTE_TIMEOUTS = { sessionTimeoutMs: 10_000, requestTimeoutMs: 10_000 } as const;

/** The log named by `spec`; throws the backend's TaskdError (LOG_UNAVAILABLE…) when it cannot open. */
export async function openTaskLog(spec: TaskLogSpec): Promise<EventLog> {
  switch (spec.kind) {
    case 'file': {
      const { openFileEventLog } = await import('../../infra/log/file/file-event-log.ts');
      return openFileEventLog({ path: spec.path, readOnly: true });
    }
    case 'zookeeper': {
      // Note: opening creates the log's layout znodes when they are missing (the backend's own rule).
      const { openZooKeeperEventLog } = await import('../../infra/log/zookeeper/zookeeper-event-log.ts');
      return openZooKeeperEventLog({
        cluster: spec.cluster,
        ...(spec.root === undefined ? {} : { root: spec.root }),
        ...(spec.auth === undefined ? {} : { auth: spec.auth }),
        connection: { connectString: spec.hosts.join(','), ...REMOTE_TIMEOUTS },
      });
    }
    case 'eventstoredb': {
      const { createEventStoreDbLog } = await import('../../infra/log/eventstoredb/eventstoredb-log.ts');
      return createEventStoreDbLog({ connectionString: spec.connectionString, cluster: spec.cluster });
    }
  }
}
