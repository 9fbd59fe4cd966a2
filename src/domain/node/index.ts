/**
 * The node and cluster domain: what one taskd node journals, how it folds, and what it decides
 * (session suspicion, leadership, VIP, teardown, restarts). Pure: time comes in as data.
 */
export type { AnomalySource, NodeAnomaly, NodeAnomalyKind } from './anomaly.ts';
export {
  DEFAULT_RESTART_POLICY,
  defaultNodeConfig,
  type NodeConfig,
  type RestartPolicy,
  type VipConfig,
} from './config.ts';
export { decide, type NodeCommand, nodeDecider } from './decider.ts';
export * from './events.ts';
export { evolve, fold } from './evolve.ts';
export { decideLeadership, isFit, type LeadershipInput } from './leadership.ts';
export { metaFor, recordEvent } from './meta.ts';
export { type ParsedNodeEvent, parseNodeEvent } from './parse.ts';
export { backoffMs, decideRestart, nextIncarnation } from './restart.ts';
export {
  eventMetaSchema,
  isNodeEventType,
  memberViewSchema,
  NODE_EVENT_TYPES,
  nodeEventDataSchemas,
  SUPPORTED_NODE_EVENT_VERSION,
} from './schemas.ts';
export {
  decideSessionSignal,
  decideSessionTimer,
  isSessionConnected,
  type SessionSignal,
} from './session.ts';
export { type Json, snapshot } from './snapshot.ts';
export * from './state.ts';
export { type ClusterStatus, clusterStatus, type DegradedReason, degradedReasons } from './status.ts';
export {
  decideShutdown,
  decideTeardown,
  nextTeardownStep,
  type ShutdownInput,
  type TeardownNext,
} from './teardown.ts';
export { decideVip, retryBackoffMs, type VipDecision, type VipReleaseReason } from './vip.ts';
