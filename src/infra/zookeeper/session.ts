/**
 * `createZooKeeperSession`: one node-zookeeper-client client, hardened (transport guard, request
 * deadlines), behind the typed ZooKeeperSession. A session never outlives its ZooKeeper session:
 * after 'expired', 'auth-failed' or 'closed' it is dead and a new session means a new call here.
 */
import zookeeper from 'node-zookeeper-client';
import { ErrorCodes, TaskdError } from '../../errors.ts';
import { digestAcl, OPEN_ACL } from './acl.ts';
import { CM_STATE, connectionManagerOf, isConnectedState } from './connection-manager.ts';
import { createOperations } from './operations.ts';
import { RequestRegistry } from './request-registry.ts';
import { StateFeed } from './state-feed.ts';
import { isTerminal, sessionStateNameOf, shouldPublish } from './state-mapping.ts';
import { guardTransport } from './transport-guard.ts';
import type {
  SessionState,
  SessionStateName,
  ZkLogger,
  ZooKeeperSession,
  ZooKeeperSessionOptions,
} from './types.ts';
import { WatchHub } from './watch-hub.ts';
import { coalesceWrites } from './write-coalescing.ts';
import { protocolError, type ZkErrorContext } from './zk-errors.ts';

const SILENT: ZkLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** Back-off between reconnection rounds (the library's default of 1 s is long for short sessions). */
function spinDelayFor(sessionTimeoutMs: number): number {
  return Math.min(1_000, Math.max(50, Math.floor(sessionTimeoutMs / 8)));
}

/** The error every request gets once the session is in a terminal state. */
function deadSessionError(state: SessionStateName, sessionId: string) {
  return (context: ZkErrorContext) => {
    const where = context.path === undefined ? context.op : `${context.op} ${context.path}`;
    if (state === 'expired') {
      return new TaskdError(
        ErrorCodes.ZK_SESSION_EXPIRED,
        `${where}: session 0x${sessionId} expired`,
        context,
      );
    }
    if (state === 'auth-failed') {
      return new TaskdError(ErrorCodes.ZK_NO_AUTH, `${where}: authentication failed`, context);
    }
    return new TaskdError(ErrorCodes.ZK_CLOSED, `${where}: session 0x${sessionId} is closed`, context);
  };
}

/** What the streams layer is handed: each call is a new client and a new ZooKeeper session. */
export type CreateZooKeeperSession = (options: ZooKeeperSessionOptions) => ZooKeeperSession;

/** Starts connecting at once and returns the session; watch `state$` for 'connected'. */
export function createZooKeeperSession(options: ZooKeeperSessionOptions): ZooKeeperSession {
  const logger = options.logger ?? SILENT;
  const client = zookeeper.createClient(options.connectString, {
    sessionTimeout: options.sessionTimeoutMs,
    spinDelay: spinDelayFor(options.sessionTimeoutMs),
    retries: 0,
  });
  const cm = connectionManagerOf(client);
  const requests = new RequestRegistry(cm, options.requestTimeoutMs);
  let lastProtocolError: TaskdError | undefined;
  const transport = guardTransport(cm, {
    logger,
    onProtocolError: (cause, server) => {
      lastProtocolError = protocolError(cause, { op: 'receive', server });
      logger.error({ err: lastProtocolError, server }, 'malformed reply from ZooKeeper');
      requests.failLost((context) => protocolError(cause, { ...context, sent: true }));
    },
  });
  coalesceWrites(cm);
  // With credentials, everything this session creates is readable and writable by them alone.
  const defaultAcl =
    options.auth === undefined ? OPEN_ACL : [digestAcl(options.auth.user, options.auth.password)];
  const operations = createOperations(client, requests, defaultAcl);
  const watches = new WatchHub({
    read: operations,
    isConnected: () => isConnectedState(cm.state),
    retryDelayMs: Math.min(options.requestTimeoutMs, 1_000),
  });

  const snapshot = (state: SessionStateName, extra: Partial<SessionState> = {}): SessionState => {
    const server = transport.server();
    return {
      state,
      sessionId: cm.sessionId.toString('hex'),
      negotiatedTimeoutMs: cm.sessionTimeout,
      ...(server === undefined ? {} : { server }),
      ...extra,
      at: Date.now(),
    };
  };
  const feed = new StateFeed(snapshot('connecting'));
  let lastPublished: SessionStateName = 'connecting';
  let closing = false;

  /** Kills the session for good: no request, watch, timer or socket survives this. */
  const die = (state: SessionStateName): void => {
    const error = deadSessionError(state, cm.sessionId.toString('hex'));
    watches.end(state === 'closed' ? undefined : error({ op: 'watch' }));
    requests.failAll(error);
    transport.shutdown();
    cm.removeListener('state', onLibraryState);
  };

  function onLibraryState(libraryState: number): void {
    if (closing) return;
    const name = sessionStateNameOf(libraryState);
    if (name === null || !shouldPublish(name, lastPublished)) return;
    lastPublished = name;
    let extra: Partial<SessionState> = {};
    if (name === 'disconnected') {
      const reason = transport.takeDropReason() ?? 'connection-lost';
      const heard = transport.lastHeardAt();
      extra = {
        ...(reason === 'protocol-error' && lastProtocolError
          ? { reason, error: lastProtocolError }
          : { reason }),
        ...(heard > 0 ? { lastHeardAt: heard } : {}),
      };
    }
    const state = snapshot(name, extra);
    const { sessionId, server, reason } = state;
    logger.info({ sessionId, server, reason }, `ZooKeeper session ${name}`);
    feed.publish(state);
    // Inside the library's handlers: tear down after they return.
    if (isTerminal(name)) queueMicrotask(() => die(name));
  }
  cm.on('state', onLibraryState);
  feed.onDelivery((state) => {
    if (state.state === 'connected' || state.state === 'connected-read-only') watches.reconnected();
  });

  let closed: Promise<void> | undefined;
  const closeOnce = async (): Promise<void> => {
    const alreadyDead = isTerminal(lastPublished);
    closing = true;
    if (!alreadyDead) {
      watches.end();
      requests.failAll(deadSessionError('closed', cm.sessionId.toString('hex')));
      if (isConnectedState(cm.state)) await closeGracefully();
      die('closed');
      lastPublished = 'closed';
      feed.publish(snapshot('closed'));
    }
    await feed.flushed();
  };

  /** Asks the server to end the session (its ephemeral nodes go at once), bounded in time. */
  const closeGracefully = () =>
    new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        cm.removeListener('state', onClosed);
        resolve();
      };
      const onClosed = (state: number) => {
        if (state === CM_STATE.CLOSED) finish();
      };
      const timer = setTimeout(finish, options.closeTimeoutMs ?? options.requestTimeoutMs);
      cm.on('state', onClosed);
      try {
        client.close();
      } catch (error) {
        logger.warn({ err: error }, 'ZooKeeper close request failed');
        finish();
      }
    });

  if (options.auth) {
    client.addAuthInfo('digest', Buffer.from(`${options.auth.user}:${options.auth.password}`));
  }
  client.connect();

  return {
    state$: feed.state$,
    current: () => feed.current(),
    credentials: () => ({
      sessionId: cm.sessionId.toString('hex'),
      password: cm.sessionPassword.toString('hex'),
    }),
    ...operations,
    getData: (path) => operations.getData(path),
    exists: (path) => operations.exists(path),
    getChildren: (path) => operations.getChildren(path),
    watchData$: (path) => watches.data$(path),
    watchFires$: (path) => watches.fires$(path),
    watchChildren$: (path) => watches.children$(path),
    watchExists$: (path) => watches.exists$(path),
    close: () => {
      closed ??= closeOnce();
      return closed;
    },
  };
}
