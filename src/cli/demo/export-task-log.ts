/**
 * The cluster's task log lives in ZooKeeper, which the demo stops at the end; before that, the demo
 * copies it into a file task log (the embedded backend's format, one checksummed JSON line per
 * append), so that it stays beside the journals for `jq` and for post-mortem tools.
 */
import { openFileEventLog } from '../../infra/log/file/file-event-log.ts';
import type { LoggedEvent } from '../../infra/log/port.ts';
import { openZooKeeperEventLog } from '../../infra/log/zookeeper/zookeeper-event-log.ts';

export interface TaskLogExport {
  readonly path: string;
  readonly events: number;
}

/** Copies every event of `cluster`'s task log, in its global order, into a new file at `path`. */
export async function exportTaskLog(zk: string, cluster: string, path: string): Promise<TaskLogExport> {
  const source = await openZooKeeperEventLog({
    cluster,
    connection: { connectString: zk, sessionTimeoutMs: 4_000, requestTimeoutMs: 3_000 },
  });
  try {
    const target = await openFileEventLog({ path, fsync: 'always' });
    try {
      let events = 0;
      let run: LoggedEvent[] = [];
      // Consecutive events of one stream go in one append, which keeps the global order.
      const flush = async () => {
        const stream = run[0]?.stream;
        if (stream === undefined) return;
        await target.append(
          stream,
          run.map(({ id, type, version, data, meta }) => ({ id, type, version, data, meta })),
          'any',
        );
        events += run.length;
        run = [];
      };
      for await (const event of source.readAll()) {
        if (run.length > 0 && run[0]?.stream !== event.stream) await flush();
        run.push(event);
      }
      await flush();
      return { path, events };
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}
