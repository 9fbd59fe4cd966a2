/**
 * The ZooKeeper task log's contract fixture and what its tests share: sessions on a harness cluster,
 * one fresh root per test (removed afterwards), and interruptions that wait until the log's session
 * is connected again.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCodes, hasCode } from '../../../../src/errors.ts';
import {
  DEFAULT_ZOOKEEPER_MAX_BATCH_BYTES,
  openZooKeeperEventLog,
  type ZooKeeperEventLog,
  type ZooKeeperEventLogOptions,
} from '../../../../src/infra/log/zookeeper/zookeeper-event-log.ts';
import {
  createZooKeeperSession,
  type SessionState,
  type ZooKeeperSession,
} from '../../../../src/infra/zookeeper/index.ts';
import type { ZooKeeperCluster } from '../../../support/zookeeper.ts';
import { waitFor } from '../../../support/zookeeper.ts';
import type { EventLogFixture } from '../contract.ts';

/** Long enough for a standalone server to restart (a JVM start on a loaded machine) within it. */
export const SESSION_TIMEOUT_MS = 40_000;
export const REQUEST_TIMEOUT_MS = 15_000;

export interface SessionChoices {
  readonly auth?: { readonly user: string; readonly password: string };
  readonly sessionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
}

/** Sessions opened for one test, closed together. */
export class SessionPool {
  private readonly sessions: ZooKeeperSession[] = [];

  constructor(private readonly connectString: () => string) {}

  open(options: SessionChoices = {}): ZooKeeperSession {
    const session = createZooKeeperSession({
      connectString: this.connectString(),
      sessionTimeoutMs: options.sessionTimeoutMs ?? SESSION_TIMEOUT_MS,
      requestTimeoutMs: options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
      ...(options.auth === undefined ? {} : { auth: options.auth }),
    });
    this.sessions.push(session);
    return session;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.sessions.splice(0).map((session) => session.close()));
  }
}

/** A root no other test uses: `/taskd-test/<id>/log`; remove `/taskd-test/<id>` afterwards. */
export function freshRoot(): { readonly root: string; readonly top: string } {
  const top = `/taskd-test/${randomUUID().slice(0, 8)}`;
  return { root: `${top}/log`, top };
}

/** Opens a log on `session` under `root`. */
export function openLog(
  session: ZooKeeperSession,
  root: string,
  extra: Partial<ZooKeeperEventLogOptions> = {},
): Promise<ZooKeeperEventLog> {
  return openZooKeeperEventLog({ cluster: 'test', root, session, ...extra });
}

/** Deletes `path` and everything under it (missing is fine). */
export async function removeTree(session: ZooKeeperSession, path: string): Promise<void> {
  const children = (await session.getChildren(path))?.children ?? [];
  for (let start = 0; start < children.length; start += 200) {
    await Promise.all(
      children.slice(start, start + 200).map((child) => removeTree(session, `${path}/${child}`)),
    );
  }
  try {
    await session.remove(path);
  } catch (error) {
    if (!hasCode(error, ErrorCodes.ZK_NO_NODE)) throw error;
  }
}

/** Runs `interrupt`, then waits until `session` has been disconnected and is connected again. */
export async function throughReconnection(
  session: ZooKeeperSession,
  interrupt: () => Promise<void>,
): Promise<void> {
  const states: SessionState[] = [];
  const recording = session.state$.subscribe((state) => states.push(state));
  try {
    await interrupt();
    await waitFor(
      () => {
        const lost = states.findIndex((s) => s.state === 'disconnected');
        return lost >= 0 && states.slice(lost).some((s) => s.state === 'connected');
      },
      { what: 'the log session to reconnect', timeoutMs: 60_000 },
    );
  } finally {
    recording.unsubscribe();
  }
}

/**
 * The contract fixture: the log on its own session, second writers and reopens on new sessions.
 * `interrupt` breaks the log session's connection and resolves once it is connected again.
 */
export async function zooKeeperLogFixture(
  cluster: ZooKeeperCluster,
  interrupt: (cluster: ZooKeeperCluster, session: ZooKeeperSession) => Promise<void>,
): Promise<EventLogFixture> {
  const pool = new SessionPool(() => cluster.connectString);
  const { root, top } = freshRoot();
  const main = pool.open();
  const log = await openLog(main, root);
  return {
    log,
    maxBatchBytes: DEFAULT_ZOOKEEPER_MAX_BATCH_BYTES,
    openSecondWriter: () => openLog(pool.open(), root),
    reopen: () => openLog(pool.open(), root),
    interruptConnection: () => interrupt(cluster, main),
    destroy: async () => {
      await removeTree(pool.open(), top);
      await pool.closeAll();
    },
  };
}
