/** The ZooKeeper edge: typed sessions over node-zookeeper-client, with its known gaps closed. */
export { type Acl, ALL_PERMISSIONS, digestAcl, digestId, OPEN_ACL, type Permission } from './acl.ts';
export { type CreateZooKeeperSession, createZooKeeperSession } from './session.ts';
export { ensureSharedTop } from './shared-top.ts';
export type {
  CreateOptions,
  DisconnectReason,
  MultiOp,
  MultiResult,
  NodeChildren,
  NodeData,
  SessionState,
  SessionStateName,
  ZkLogger,
  ZkStat,
  ZooKeeperSession,
  ZooKeeperSessionOptions,
} from './types.ts';
export {
  isRetryableZkError,
  isSessionLostError,
  isZkError,
  mayHaveBeenApplied,
  translateZkError,
} from './zk-errors.ts';
