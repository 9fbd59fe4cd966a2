/**
 * The typed face of the ZooKeeper edge. Nothing here mentions node-zookeeper-client: callers see
 * plain data (bigint zxids, hex session ids, `null` for "absent") and TaskdErrors with ZK_* codes.
 */
import type { Observable } from 'rxjs';
import type { TaskdError } from '../../errors.ts';
import type { Acl } from './acl.ts';

export type SessionStateName =
  | 'connecting'
  | 'connected'
  | 'connected-read-only'
  | 'disconnected'
  | 'expired'
  | 'auth-failed'
  | 'closed';

/** Why a connected session lost its connection (the adapter's own liveness checks included). */
export type DisconnectReason =
  /** The socket closed or failed (server stopped, reset, refused). */
  | 'connection-lost'
  /** Nothing was heard from the server, not even a ping reply, for half the session timeout. */
  | 'read-timeout'
  /** The server spoke bytes the client cannot parse; the socket was dropped to reconnect. */
  | 'protocol-error';

export interface SessionState {
  readonly state: SessionStateName;
  /** 16 hex digits; all zeros until the first connection is established. */
  readonly sessionId: string;
  /** The session timeout the server granted (the requested one until then). */
  readonly negotiatedTimeoutMs: number;
  /** `host:port` of the server connected to (or last tried). */
  readonly server?: string;
  /** Set on 'disconnected'. */
  readonly reason?: DisconnectReason;
  /** Set on 'disconnected': wall-clock time the last bytes came from the server (ms since the epoch). */
  readonly lastHeardAt?: number;
  /** Set on 'disconnected' caused by a protocol error (code ZK_PROTOCOL). */
  readonly error?: TaskdError;
  /** Wall-clock time the adapter observed the change (ms since the epoch). */
  readonly at: number;
}

/** A znode's metadata, decoded. zxids are bigints so they order and compare exactly. */
export interface ZkStat {
  readonly czxid: bigint;
  readonly mzxid: bigint;
  readonly pzxid: bigint;
  /** Creation and last modification times, ms since the epoch. */
  readonly ctime: number;
  readonly mtime: number;
  readonly version: number;
  readonly cversion: number;
  readonly aversion: number;
  /** Session id (hex) of the owner of an ephemeral node; null for a persistent one. */
  readonly ephemeralOwner: string | null;
  readonly dataLength: number;
  readonly numChildren: number;
}

export interface NodeData {
  /** Empty when the znode holds no data (the library hands `undefined` there). */
  readonly data: Buffer;
  readonly stat: ZkStat;
}

export interface NodeChildren {
  /** Child names (not paths), sorted. */
  readonly children: readonly string[];
  readonly stat: ZkStat;
}

export interface CreateOptions {
  readonly data?: Buffer | string;
  readonly ephemeral?: boolean;
  /** The server appends a 10-digit counter; `create` returns the actual path. */
  readonly sequential?: boolean;
  /** Default: the session's digest ACL when it has credentials, else open (world:anyone, all permissions). */
  readonly acl?: readonly Acl[];
}

/** One operation of an atomic multi. `version` -1 (the default) matches any version. */
export type MultiOp =
  | ({ readonly op: 'create'; readonly path: string } & CreateOptions)
  | {
      readonly op: 'setData';
      readonly path: string;
      readonly data: Buffer | string;
      readonly version?: number;
    }
  | { readonly op: 'remove'; readonly path: string; readonly version?: number }
  | { readonly op: 'check'; readonly path: string; readonly version: number };

export type MultiResult =
  | { readonly op: 'create'; readonly path: string }
  | { readonly op: 'setData'; readonly stat: ZkStat }
  | { readonly op: 'remove' }
  | { readonly op: 'check' };

/** What a logger must offer; a pino Logger fits. */
export interface ZkLogger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

export interface ZooKeeperSessionOptions {
  /** `host:port,host:port[/chroot]`. */
  readonly connectString: string;
  /** Requested; the server may grant another (see SessionState.negotiatedTimeoutMs). */
  readonly sessionTimeoutMs: number;
  /** Deadline of every request; past it the request fails with ZK_TIMEOUT. */
  readonly requestTimeoutMs: number;
  /** Digest credentials, sent on every (re)connection before any request; what the session creates gets their ACL. */
  readonly auth?: { readonly user: string; readonly password: string };
  readonly logger?: ZkLogger;
  /** How long close() waits for the server to confirm before dropping the socket. Default requestTimeoutMs. */
  readonly closeTimeoutMs?: number;
}

/**
 * One ZooKeeper session. Once it is 'expired', 'auth-failed' or 'closed' it is dead for good:
 * every call fails (ZK_SESSION_EXPIRED, ZK_NO_AUTH, ZK_CLOSED) and a new session is a new object.
 */
export interface ZooKeeperSession {
  /** The current state first, then every change; completes after a terminal state. */
  readonly state$: Observable<SessionState>;
  /** The last state delivered to subscribers. */
  current(): SessionState;
  /** Session id and password (hex), e.g. to expire the session from outside in tests. */
  credentials(): { readonly sessionId: string; readonly password: string };

  /** Creates a znode; returns its actual path (differs from `path` when sequential). */
  create(path: string, options?: CreateOptions): Promise<string>;
  /** Data and stat, or null when the znode does not exist. */
  getData(path: string): Promise<NodeData | null>;
  /** Stat, or null when the znode does not exist. */
  exists(path: string): Promise<ZkStat | null>;
  /** Sorted child names and the parent's stat, or null when the parent does not exist. */
  getChildren(path: string): Promise<NodeChildren | null>;
  /** Replaces the data if `version` matches (-1: any); returns the new stat. */
  setData(path: string, data: Buffer | string, version?: number): Promise<ZkStat>;
  /** Deletes the znode if `version` matches (-1: any). */
  remove(path: string, version?: number): Promise<void>;
  /** Runs the operations atomically; on failure rejects with the failing op's code and index. */
  multi(ops: readonly MultiOp[]): Promise<MultiResult[]>;
  /** Creates every missing znode on the way to `path` (persistent, empty, open ACL unless given). */
  mkdirp(path: string, options?: { readonly acl?: readonly Acl[] }): Promise<void>;

  /** The znode's data each time it changes (null while absent); re-armed after every fire and reconnect. */
  watchData$(path: string): Observable<NodeData | null>;
  /**
   * Each fire of watchData$'s watch on `path`, before watchData$ re-reads it (and once after each
   * reconnect): lets a reader start a read that the change implies in the same turn. Arms nothing.
   */
  watchFires$(path: string): Observable<void>;
  /** The znode's children each time they change (null while the parent is absent). */
  watchChildren$(path: string): Observable<NodeChildren | null>;
  /** The znode's stat each time it appears, changes or disappears (null while absent). */
  watchExists$(path: string): Observable<ZkStat | null>;

  /** Closes the session once; later calls return the same promise. Bounded even when ZooKeeper is down. */
  close(): Promise<void>;
}
