/**
 * Patches one ConnectionManager (before it connects) to close gaps of node-zookeeper-client 1.1.3:
 *
 * - Liveness. The library sends pings but never checks that replies come, and has no deadline
 *   between the TCP connect and the server's connect response. A paused or half-open server therefore
 *   looks connected forever. Here: pings go out after a quarter of the session timeout of silence; if
 *   nothing at all is heard for half of it the socket is dropped, so the library reconnects (to the
 *   next server) while the session still lives, and callers see 'disconnected' well before expiry.
 *   A handshake that does not finish within the library's connect timeout is dropped too.
 * - Protocol errors. Parsing a malformed reply throws inside the socket's 'data' handler, where no
 *   caller can catch it (the process dies). Here it is caught, reported, and the socket is dropped.
 * - Stale bytes. A partial frame of a dead connection stays in `pendingBuffer` and would be glued
 *   in front of the next connection's first reply; it is discarded on every new attempt.
 * - Order. On (re)connect the library queues the auth and set-watches packets behind requests made
 *   while disconnected, so those requests would run unauthenticated; they are moved to the front.
 * - Shutdown. The library keeps retry timers and sockets it cannot cancel; `shutdown` ends all of
 *   them for good, so nothing fires afterwards.
 */
import {
  CM_STATE,
  type ConnectionManager,
  isConnectedState,
  type ServerAddress,
} from './connection-manager.ts';
import type { DisconnectReason, ZkLogger } from './types.ts';

export interface TransportGuardHooks {
  readonly logger: ZkLogger;
  /** Called inside the library's data handler when a reply cannot be parsed, before the socket drops. */
  readonly onProtocolError: (cause: unknown, server: string | undefined) => void;
}

export interface TransportGuard {
  /** `host:port` of the server of the current (or last) connection attempt. */
  server(): string | undefined;
  /** Wall-clock time the last bytes came from a server (0 before the first connection). */
  lastHeardAt(): number;
  /** Why the last connection was dropped by the adapter, once (undefined: the socket itself closed). */
  takeDropReason(): DisconnectReason | undefined;
  /** Ends sockets and timers for good; the library can never reconnect afterwards. Idempotent. */
  shutdown(): void;
}

type Phase = 'idle' | 'handshake' | 'connected';

/**
 * Silence allowed while connected, as a fraction of the session timeout. The node's suspicion
 * deadline runs from the last reply (0.6 of the timeout by default), so a dead connection must be
 * noticed well before it to leave time for a reconnect to another server.
 */
const READ_TIMEOUT_FRACTION = 2 / 5;
/** Idle time after which a ping is sent, as a fraction of the session timeout. */
const PING_FRACTION = 1 / 5;
const SOCKET_EVENTS = ['connect', 'data', 'drain', 'close', 'timeout', 'error'] as const;

/** Installs the guard on `cm`; call before the client connects (the library binds handlers then). */
export function guardTransport(cm: ConnectionManager, hooks: TransportGuardHooks): TransportGuard {
  let dead = false;
  let phase: Phase = 'idle';
  let attemptStartedAt = 0;
  let lastHeardAt = 0;
  let currentServer: string | undefined;
  let dropReason: DisconnectReason | undefined;
  let retryTimer: NodeJS.Timeout | undefined;

  const drop = (reason: DisconnectReason | 'handshake-timeout'): void => {
    if (dead) return;
    hooks.logger.warn({ server: currentServer, reason }, 'dropping the ZooKeeper connection');
    if (reason !== 'handshake-timeout') dropReason = reason;
    if (cm.connectTimeoutHandler) clearTimeout(cm.connectTimeoutHandler);
    cm.connectTimeoutHandler = null;
    cm.socket?.destroy();
  };

  const originalUpdateTimeout = cm.updateTimeout;
  cm.updateTimeout = function updateTimeout(this: ConnectionManager, sessionTimeout: number) {
    originalUpdateTimeout.call(this, sessionTimeout);
    this.pingTimeout = Math.max(1, Math.floor(sessionTimeout * PING_FRACTION));
  };
  cm.pingTimeout = Math.max(1, Math.floor(cm.sessionTimeout * PING_FRACTION));

  // Same rotation as the library, but the back-off timer is ours, so shutdown can cancel it.
  cm.findNextServer = (callback: (server: ServerAddress) => void) => {
    if (dead) return;
    const pick = () => {
      if (dead) return;
      cm.nextServerIndex %= cm.servers.length;
      const server = cm.servers[cm.nextServerIndex]!;
      cm.nextServerIndex += 1;
      currentServer = `${server.host}:${server.port}`;
      phase = 'handshake';
      attemptStartedAt = Date.now();
      if (cm.connectTimeoutHandler) clearTimeout(cm.connectTimeoutHandler);
      cm.connectTimeoutHandler = null;
      cm.pendingBuffer = null;
      callback(server);
    };
    if (cm.serverAttempts >= cm.servers.length) {
      retryTimer = setTimeout(() => {
        retryTimer = undefined;
        cm.serverAttempts = 0;
        pick();
      }, Math.random() * cm.spinDelay);
    } else {
      cm.serverAttempts += 1;
      process.nextTick(pick);
    }
  };

  const originalOnSocketData = cm.onSocketData;
  cm.onSocketData = function onSocketData(this: ConnectionManager, buffer: Buffer) {
    if (dead) return;
    lastHeardAt = Date.now();
    try {
      originalOnSocketData.call(this, buffer);
    } catch (error) {
      this.pendingBuffer = null;
      hooks.onProtocolError(error, currentServer);
      drop('protocol-error');
    }
  };

  const originalOnSocketConnected = cm.onSocketConnected;
  cm.onSocketConnected = function onSocketConnected(this: ConnectionManager) {
    if (dead) return;
    const queue = this.packetQueue.queue;
    const waiting = new Set(queue);
    originalOnSocketConnected.call(this);
    // Packets queued by the handshake itself (auth, set-watches) go before requests made earlier.
    const handshake = queue.filter((packet) => !waiting.has(packet));
    const earlier = queue.filter((packet) => waiting.has(packet));
    queue.splice(0, queue.length, ...handshake, ...earlier);
  };

  const onState = (state: number) => {
    if (isConnectedState(state)) {
      phase = 'connected';
      lastHeardAt = Date.now();
    } else if (state === CM_STATE.DISCONNECTED) {
      phase = 'idle';
    }
  };
  cm.on('state', onState);

  const livenessPeriod = Math.max(10, Math.floor((cm.sessionTimeout * READ_TIMEOUT_FRACTION) / 8));
  let lastCheckAt = Date.now();
  const check = () => {
    const now = Date.now();
    const stalled = now - lastCheckAt > 2 * livenessPeriod;
    lastCheckAt = now;
    const readTimeout = cm.sessionTimeout * READ_TIMEOUT_FRACTION;
    if (stalled) {
      // Our own event loop stalled: replies may sit unread in the socket and no ping went out.
      // Give the server half the read timeout from now (a ping leaves at once) before judging it.
      lastHeardAt = Math.max(lastHeardAt, now - readTimeout / 2);
      return;
    }
    if (phase === 'connected' && isConnectedState(cm.state)) {
      if (now - lastHeardAt > readTimeout) drop('read-timeout');
    } else if (phase === 'handshake' && cm.state === CM_STATE.CONNECTING) {
      if (now - attemptStartedAt > cm.connectTimeout) drop('handshake-timeout');
    }
  };
  const liveness = setInterval(check, livenessPeriod);
  liveness.unref();

  return {
    server: () => currentServer,
    lastHeardAt: () => lastHeardAt,
    takeDropReason: () => {
      const reason = dropReason;
      dropReason = undefined;
      return reason;
    },
    shutdown: () => {
      if (dead) return;
      dead = true;
      clearInterval(liveness);
      if (retryTimer) clearTimeout(retryTimer);
      if (cm.connectTimeoutHandler) clearTimeout(cm.connectTimeoutHandler);
      cm.connectTimeoutHandler = null;
      cm.removeListener('state', onState);
      const socket = cm.socket;
      if (socket) {
        for (const event of SOCKET_EVENTS) socket.removeAllListeners(event);
        socket.on('error', () => {});
        socket.setTimeout(0);
        socket.destroy();
      }
      // Without emitting: the library must neither reconnect nor accept packets any more.
      cm.state = CM_STATE.CLOSED;
      cm.packetQueue.queue.length = 0;
      cm.pendingQueue.length = 0;
    },
  };
}
