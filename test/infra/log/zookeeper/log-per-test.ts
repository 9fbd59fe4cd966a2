/**
 * One fresh log per test on a harness ZooKeeper: its own root and session, opened before each test
 * and, after it, closed together with every log the test tracked, the root removed.
 */
import { afterEach, beforeEach } from 'vitest';
import type { EventLog } from '../../../../src/infra/log/port.ts';
import type { ZooKeeperEventLog } from '../../../../src/infra/log/zookeeper/zookeeper-event-log.ts';
import type { ZooKeeperSession } from '../../../../src/infra/zookeeper/index.ts';
import type { ZooKeeperCluster } from '../../../support/zookeeper.ts';
import { freshRoot, openLog, removeTree, SessionPool } from './zookeeper-log-fixture.ts';

export interface LogPerTest {
  readonly pool: SessionPool;
  readonly root: string;
  /** The session the log runs on (given to it, so still open after the log closes). */
  readonly session: ZooKeeperSession;
  readonly log: ZooKeeperEventLog;
  /** Closes `log` after the test too. */
  track<T extends EventLog>(log: T): T;
}

/** Registers the hooks; read the fields inside tests. */
export function useLogPerTest(cluster: () => ZooKeeperCluster): LogPerTest {
  const pool = new SessionPool(() => cluster().connectString);
  const opened: EventLog[] = [];
  let current: { root: string; top: string; session: ZooKeeperSession; log: ZooKeeperEventLog } | undefined;
  const now = () => {
    if (current === undefined) throw new Error('useLogPerTest: read the log inside a test');
    return current;
  };
  beforeEach(async () => {
    const { root, top } = freshRoot();
    const session = pool.open();
    const log = await openLog(session, root);
    opened.push(log);
    current = { root, top, session, log };
  });
  afterEach(async () => {
    for (const log of opened.splice(0)) await log.close();
    if (current !== undefined) await removeTree(pool.open(), current.top);
    current = undefined;
    await pool.closeAll();
  });
  return {
    pool,
    get root() {
      return now().root;
    },
    get session() {
      return now().session;
    },
    get log() {
      return now().log;
    },
    track(log) {
      opened.push(log);
      return log;
    },
  };
}
