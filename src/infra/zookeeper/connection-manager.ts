/**
 * A typed view of node-zookeeper-client 1.1.3's private ConnectionManager (lib/ConnectionManager.js),
 * which the transport guard and the request registry patch to close the library's known gaps.
 * `connectionManagerOf` checks the shape at runtime, so an upgrade that moves these internals fails
 * loudly when a session is created instead of silently losing the fixes.
 */
import type { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type zookeeper from 'node-zookeeper-client';

/** The numeric states of lib/ConnectionManager.js (STATES there). */
export const CM_STATE = {
  DISCONNECTED: 0,
  CONNECTING: 1,
  CONNECTED: 2,
  CONNECTED_READ_ONLY: 3,
  CLOSING: -1,
  CLOSED: -2,
  SESSION_EXPIRED: -3,
  AUTHENTICATION_FAILED: -4,
} as const;

/** A request waiting in the library's queues: the jute request and the library's callback. */
export interface Packet {
  readonly request: unknown;
  readonly callback: (...args: unknown[]) => void;
}

export interface ServerAddress {
  readonly host: string;
  readonly port: string | number;
}

export interface ConnectionManager extends EventEmitter {
  state: number;
  readonly servers: readonly ServerAddress[];
  nextServerIndex: number;
  serverAttempts: number;
  readonly spinDelay: number;
  sessionTimeout: number;
  connectTimeout: number;
  pingTimeout: number;
  connectTimeoutHandler: NodeJS.Timeout | null;
  socket: Socket | undefined;
  pendingBuffer: Buffer | null;
  sessionId: Buffer;
  sessionPassword: Buffer;
  /** Not yet written to the socket (requests made while disconnected wait here). */
  readonly packetQueue: EventEmitter & { queue: Packet[] };
  /** Written, waiting for the reply. */
  readonly pendingQueue: Packet[];
  findNextServer(callback: (server: ServerAddress) => void): void;
  onSocketData(buffer: Buffer): void;
  onSocketConnected(): void;
  updateTimeout(sessionTimeout: number): void;
  queue(request: unknown, callback?: (...args: unknown[]) => void): void;
}

const METHODS = ['findNextServer', 'onSocketData', 'onSocketConnected', 'updateTimeout', 'queue'] as const;

/** The client's ConnectionManager, after checking it has the internals the adapter relies on. */
export function connectionManagerOf(client: zookeeper.Client): ConnectionManager {
  const cm = (client as unknown as { connectionManager?: Partial<ConnectionManager> }).connectionManager;
  const shapeOk =
    cm !== undefined &&
    METHODS.every((name) => typeof cm[name] === 'function') &&
    Array.isArray(cm.servers) &&
    Array.isArray(cm.pendingQueue) &&
    Array.isArray(cm.packetQueue?.queue) &&
    typeof cm.state === 'number';
  if (!shapeOk) {
    throw new Error('node-zookeeper-client internals differ from 1.1.3; the ZooKeeper adapter needs review');
  }
  return cm as ConnectionManager;
}

/** Is the library connected (read-write or read-only)? */
export function isConnectedState(state: number): boolean {
  return state === CM_STATE.CONNECTED || state === CM_STATE.CONNECTED_READ_ONLY;
}
