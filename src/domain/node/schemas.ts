/**
 * zod schemas of every node event (version 1): the journal is read back through these, so a torn,
 * hand-edited or foreign line becomes an anomaly instead of a crash.
 */
import { z } from 'zod';
import {
  LEADERSHIP_LOSS_REASONS,
  type NodeEventData,
  type NodeEventType,
  RESIGN_REASONS,
  SESSION_LOSS_REASONS,
  SHUTDOWN_TRIGGERS,
  TEARDOWN_STEPS,
} from './events.ts';

const time = z.number().nonnegative();
const count = z.number().int().nonnegative();
const duration = z.number().nonnegative();
const trigger = z.enum(SHUTDOWN_TRIGGERS);
const step = z.enum(TEARDOWN_STEPS);

export const eventMetaSchema = z.object({
  node: z.string().min(1),
  incarnation: count,
  epoch: count.optional(),
  causationId: z.string().optional(),
  at: time,
});

export const memberViewSchema = z.object({
  node: z.string().min(1),
  incarnation: count,
  address: z.string(),
  priority: z.number(),
  health: z.enum(['healthy', 'unhealthy', 'unknown']),
  draining: z.boolean(),
  capacity: count,
  load: count,
  prefetch: count.optional(),
});

/** The node domain's configuration, as ProcessStarted journals it. */
export const nodeConfigSchema = z.object({
  node: z.string().min(1),
  session: z.object({ suspicionFraction: z.number().gt(0).lt(1) }),
  health: z.object({ rise: z.number().int().positive(), fall: z.number().int().positive() }),
  leadership: z.object({
    cooldownMs: z.number().int().nonnegative(),
    resignGraceMs: z.number().int().nonnegative().default(0),
  }),
  vip: z
    .object({
      address: z.string(),
      retryInitialMs: z.number().nonnegative(),
      retryMaxMs: z.number().nonnegative(),
    })
    .nullable(),
});

/** The data schema of each event type, version 1. */
export const nodeEventDataSchemas = {
  SessionConnecting: z.object({ connectString: z.string() }),
  SessionConnected: z.object({
    sessionId: z.string().min(1),
    negotiatedTimeoutMs: z.number().positive(),
    server: z.string(),
  }),
  SessionSuspended: z.object({ suspicionMs: duration, deadline: time, lastHeardAt: time.optional() }),
  SessionLost: z.object({ reason: z.enum(SESSION_LOSS_REASONS) }),
  SessionClosed: z.object({}),
  MembersObserved: z.object({ members: z.array(memberViewSchema) }),
  ElectionJoinRequested: z.object({ from: z.enum(['outside', 'resigned']) }),
  ElectionJoined: z.object({ sequence: count }),
  LeaderObserved: z.object({ leader: z.string().min(1).nullable(), epoch: count.nullable() }),
  LeadershipAcquired: z.object({ epoch: count }),
  LeadershipLost: z.object({ reason: z.enum(LEADERSHIP_LOSS_REASONS) }),
  LeadershipResigned: z.object({ reason: z.enum(RESIGN_REASONS), cooldownUntil: time }),
  VipAcquired: z.object({ address: z.string() }),
  VipReleased: z.object({ address: z.string() }),
  VipFailed: z.object({
    operation: z.enum(['acquire', 'release']),
    cause: z.enum(['config', 'transient']),
    message: z.string(),
    output: z.string(),
  }),
  HealthChecked: z.object({ probe: z.string().min(1), ok: z.boolean(), detail: z.string() }),
  ShutdownRequested: z.object({ trigger, detail: z.string().optional() }),
  ShutdownIgnored: z.object({ trigger, detail: z.string().optional() }),
  TeardownStepStarted: z.object({ step }),
  TeardownStepCompleted: z.object({ step }),
  TeardownStepFailed: z.object({ step, error: z.string(), timedOut: z.boolean() }),
  TeardownFinished: z.object({}),
  RestartScheduled: z.object({
    attempt: z.number().int().positive(),
    backoffMs: duration,
    budgetRemaining: count,
  }),
  ServicesStarted: z.object({ incarnation: z.number().int().positive() }),
  ProcessStarted: z.object({
    pid: z.number().int().positive(),
    version: z.string(),
    config: nodeConfigSchema.optional(),
  }),
  StateCheckpoint: z.object({
    node: z.string().min(1),
    tasks: z.object({ position: z.number().int().nonnegative(), hash: z.string().min(1) }).optional(),
  }),
  RestartBudgetExhausted: z.object({ restarts: count, windowMs: duration }),
  SignalReceived: z.object({ signal: z.string().regex(/^SIG[A-Z0-9]+$/) }),
  EventLoopStalled: z.object({ delayMs: duration }),
} satisfies { readonly [T in NodeEventType]: z.ZodType<NodeEventData<T>> };

/** The event types this version of taskd knows. */
export const NODE_EVENT_TYPES = Object.keys(nodeEventDataSchemas) as readonly NodeEventType[];

/** Is `type` a node event type? */
export function isNodeEventType(type: string): type is NodeEventType {
  return Object.hasOwn(nodeEventDataSchemas, type);
}

/** Versions of each event this code can read. */
export const SUPPORTED_NODE_EVENT_VERSION = 1;
