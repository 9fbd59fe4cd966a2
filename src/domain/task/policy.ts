/**
 * Defaults and bounds of the task domain, in one place. Bounds keep one task small enough for a
 * ZooKeeper znode (1 MB, shared by a batch of events) and keep timers within what setTimeout holds.
 */
import type { BackoffPolicy } from './events.ts';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const TaskDefaults = {
  maxAttempts: 3,
  backoff: { initialMs: SECOND, multiplier: 2, maxMs: 5 * MINUTE } satisfies BackoffPolicy,
  /** How long a finished task stays queryable when its submission does not say. */
  retentionMs: DAY,
} as const;

export const TaskLimits = {
  typeLength: 128,
  idLength: 128,
  idempotencyKeyLength: 256,
  /** Bytes of the payload once serialized to JSON. */
  payloadBytes: 64 * 1024,
  maxAttempts: 100,
  backoffInitialMs: HOUR,
  backoffMultiplier: 10,
  backoffMaxMs: DAY,
  /** setTimeout holds at most 2^31-1 ms (about 24.8 days). */
  timeoutMs: 7 * DAY,
  retentionMs: 30 * DAY,
  reasonLength: 1_000,
  messageLength: 4_000,
  /** Bytes of a result once serialized to JSON. */
  resultBytes: 64 * 1024,
} as const;

/** How many anomalies the state keeps (the newest); `anomalyCount` keeps counting past it. */
export const ANOMALY_MEMORY = 200;
