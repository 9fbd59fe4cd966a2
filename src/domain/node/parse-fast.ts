/**
 * The node event schemas (schemas.ts) as plain checks, for the events that plainly pass them: zod
 * costs more per event than the whole rest of a replay's fold. A reader only ever says "yes, and
 * here is exactly what the schema would have made of it" (a new object, keys in the schema's
 * order, unknown keys left out, defaults filled in) or UNSURE: "ask the schema". It never says
 * "no", so every rejection, and every message naming the wrong field, still comes from zod.
 * test/domain/node/parse-fast-path.test.ts holds both to agreeing.
 *
 * Written out type by type rather than built from combinators: a generic object walker reads and
 * writes keys by name at run time, which cost twice what the rest of the fold does per event.
 * Values are read as zod reads them: `input[key]` once, and `key in input` for an optional key
 * that reads undefined (present: the output has it, as undefined; absent: it has not).
 */
import type { EventMeta } from '../event.ts';
import type { MemberView } from '../members.ts';
import type { NodeConfig } from './config.ts';
import {
  LEADERSHIP_LOSS_REASONS,
  type NodeEventData,
  type NodeEventType,
  RESIGN_REASONS,
  SESSION_LOSS_REASONS,
  SHUTDOWN_TRIGGERS,
  TEARDOWN_STEPS,
} from './events.ts';

/** "Not plainly valid: ask the schema." */
export const UNSURE: unique symbol = Symbol('unsure');
export type Unsure = typeof UNSURE;

/** What the schema makes of a value, or UNSURE. */
export type Reader<T> = (value: unknown) => T | Unsure;

type Input = { readonly [key: string]: unknown };
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function isObject(value: unknown): value is Input {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// z.string().min(1) counts code points: a string of one UTF-16 unit or more has at least one.
function isNonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

// zod 4's z.number() takes finite numbers only, and .int() safe integers only.
function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** time and duration: z.number().nonnegative(). */
function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** count: z.number().int().nonnegative(). */
function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** z.number().int().positive(). */
function isPositiveCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function isOptional(value: unknown, check: (value: unknown) => boolean): boolean {
  return value === undefined || check(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/** Does the output of an optional key have it (present in the input, maybe as undefined)? */
function has(input: Input, key: string, value: unknown): boolean {
  return value !== undefined || key in input;
}

function oneOf<const T extends string>(values: readonly T[]): (value: unknown) => value is T {
  const known: ReadonlySet<unknown> = new Set(values);
  return (value): value is T => known.has(value);
}

const isTrigger = oneOf(SHUTDOWN_TRIGGERS);
const isStep = oneOf(TEARDOWN_STEPS);
const isSessionLossReason = oneOf(SESSION_LOSS_REASONS);
const isLeadershipLossReason = oneOf(LEADERSHIP_LOSS_REASONS);
const isResignReason = oneOf(RESIGN_REASONS);
const isHealth = oneOf(['healthy', 'unhealthy', 'unknown']);
const isJoinOrigin = oneOf(['outside', 'resigned']);
const isVipOperation = oneOf(['acquire', 'release']);
const isVipCause = oneOf(['config', 'transient']);
const SIGNAL = /^SIG[A-Z0-9]+$/;

/** Would readMeta read `value`? The same checks, nothing built. */
export function isPlainMeta(value: unknown): boolean {
  if (!isObject(value)) return false;
  const { node, incarnation, epoch, causationId, at } = value;
  return (
    isNonEmpty(node) &&
    isCount(incarnation) &&
    isTime(at) &&
    isOptional(epoch, isCount) &&
    isOptional(causationId, isString)
  );
}

/** eventMetaSchema. */
export function readMeta(value: unknown): EventMeta | Unsure {
  if (!isPlainMeta(value)) return UNSURE;
  const input = value as Input;
  const { node, incarnation, epoch, causationId, at } = input;
  const meta = { node, incarnation } as Mutable<EventMeta>;
  if (has(input, 'epoch', epoch)) meta.epoch = epoch as number;
  if (has(input, 'causationId', causationId)) meta.causationId = causationId as string;
  meta.at = at as number;
  return meta;
}

function isPlainMember(value: unknown): boolean {
  if (!isObject(value)) return false;
  const { node, incarnation, address, priority, health, draining, capacity, load, prefetch } = value;
  return (
    isNonEmpty(node) &&
    isCount(incarnation) &&
    isString(address) &&
    isNumber(priority) &&
    isHealth(health) &&
    typeof draining === 'boolean' &&
    isCount(capacity) &&
    isCount(load) &&
    // Optional: absent (an older node), never present as undefined (the schema would keep the key).
    (prefetch === undefined ? !('prefetch' in value) : isCount(prefetch))
  );
}

function readMember(value: unknown): MemberView | Unsure {
  if (!isPlainMember(value)) return UNSURE;
  const { node, incarnation, address, priority, health, draining, capacity, load, prefetch } =
    value as MemberView;
  if (prefetch === undefined)
    return { node, incarnation, address, priority, health, draining, capacity, load };
  return { node, incarnation, address, priority, health, draining, capacity, load, prefetch };
}

function isPlainMembers(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (!isPlainMember(value[i])) return false;
  return true;
}

function readMembers(value: unknown): MemberView[] | Unsure {
  if (!Array.isArray(value)) return UNSURE;
  const members: MemberView[] = new Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const member = readMember(value[i]);
    if (member === UNSURE) return UNSURE;
    members[i] = member;
  }
  return members;
}

/** nodeConfigSchema. */
function readConfig(value: unknown): NodeConfig | Unsure {
  if (!isObject(value)) return UNSURE;
  const { node, session, health, leadership, vip } = value;
  if (!isNonEmpty(node) || !isObject(session) || !isObject(health) || !isObject(leadership)) return UNSURE;
  const { suspicionFraction } = session;
  const { rise, fall } = health;
  const { cooldownMs, resignGraceMs } = leadership;
  // gt(0).lt(1) leaves out NaN and the infinities as well.
  if (!(typeof suspicionFraction === 'number' && suspicionFraction > 0 && suspicionFraction < 1)) {
    return UNSURE;
  }
  if (!isPositiveCount(rise) || !isPositiveCount(fall) || !isCount(cooldownMs)) return UNSURE;
  if (!isOptional(resignGraceMs, isCount)) return UNSURE;
  const readVip = vip === null ? null : readVipConfig(vip);
  if (readVip === UNSURE) return UNSURE;
  return {
    node,
    session: { suspicionFraction },
    health: { rise, fall },
    leadership: { cooldownMs, resignGraceMs: resignGraceMs === undefined ? 0 : (resignGraceMs as number) },
    vip: readVip,
  };
}

function readVipConfig(value: unknown): NodeConfig['vip'] | Unsure {
  if (!isObject(value)) return UNSURE;
  const { address, retryInitialMs, retryMaxMs } = value;
  if (!isString(address) || !isTime(retryInitialMs) || !isTime(retryMaxMs)) return UNSURE;
  return { address, retryInitialMs, retryMaxMs };
}

/** An object with one key that `check` accepts, as `{ [key]: value }`. */
function single<T>(key: string, check: (value: unknown) => boolean): Reader<T> {
  return (value) => {
    if (!isObject(value)) return UNSURE;
    const field = value[key];
    return check(field) ? ({ [key]: field } as T) : UNSURE;
  };
}

function readEmpty(value: unknown): Readonly<Record<string, never>> | Unsure {
  return isObject(value) ? {} : UNSURE;
}

function readShutdown(value: unknown): NodeEventData<'ShutdownRequested'> | Unsure {
  if (!isObject(value)) return UNSURE;
  const { trigger, detail } = value;
  if (!isTrigger(trigger) || !isOptional(detail, isString)) return UNSURE;
  return has(value, 'detail', detail) ? { trigger, detail: detail as string } : { trigger };
}

/**
 * Would the data reader of the event's type read `value`? For the types a journal is mostly made
 * of, the same checks without building anything (folding an event only needs to know it is valid);
 * for the rest, the reader itself.
 */
export function isPlainData(type: NodeEventType, value: unknown): boolean {
  switch (type) {
    case 'HealthChecked':
      return isPlainHealthChecked(value);
    case 'MembersObserved':
      return isObject(value) && isPlainMembers(value.members);
    case 'LeaderObserved':
      return isPlainLeaderObserved(value);
    default:
      return dataReaders[type](value) !== UNSURE;
  }
}

function isPlainHealthChecked(value: unknown): boolean {
  if (!isObject(value)) return false;
  const { probe, ok, detail } = value;
  return isNonEmpty(probe) && typeof ok === 'boolean' && isString(detail);
}

function isPlainLeaderObserved(value: unknown): boolean {
  if (!isObject(value)) return false;
  const { leader, epoch } = value;
  return (leader === null || isNonEmpty(leader)) && (epoch === null || isCount(epoch));
}

/** nodeEventDataSchemas, type by type. */
export const dataReaders: { readonly [T in NodeEventType]: Reader<NodeEventData<T>> } = {
  SessionConnecting: single('connectString', isString),
  SessionConnected(value) {
    if (!isObject(value)) return UNSURE;
    const { sessionId, negotiatedTimeoutMs, server } = value;
    if (!isNonEmpty(sessionId) || !isNumber(negotiatedTimeoutMs) || !isString(server)) return UNSURE;
    return negotiatedTimeoutMs > 0 ? { sessionId, negotiatedTimeoutMs, server } : UNSURE;
  },
  SessionSuspended(value) {
    if (!isObject(value)) return UNSURE;
    const { suspicionMs, deadline, lastHeardAt } = value;
    if (!isTime(suspicionMs) || !isTime(deadline) || !isOptional(lastHeardAt, isTime)) return UNSURE;
    return has(value, 'lastHeardAt', lastHeardAt)
      ? { suspicionMs, deadline, lastHeardAt: lastHeardAt as number }
      : { suspicionMs, deadline };
  },
  SessionLost: single('reason', isSessionLossReason),
  SessionClosed: readEmpty,
  MembersObserved(value) {
    if (!isObject(value)) return UNSURE;
    const members = readMembers(value.members);
    return members === UNSURE ? UNSURE : { members };
  },
  ElectionJoinRequested: single('from', isJoinOrigin),
  ElectionJoined: single('sequence', isCount),
  LeaderObserved(value) {
    if (!isPlainLeaderObserved(value)) return UNSURE;
    const { leader, epoch } = value as NodeEventData<'LeaderObserved'>;
    return { leader, epoch };
  },
  LeadershipAcquired: single('epoch', isCount),
  LeadershipLost: single('reason', isLeadershipLossReason),
  LeadershipResigned(value) {
    if (!isObject(value)) return UNSURE;
    const { reason, cooldownUntil } = value;
    return isResignReason(reason) && isTime(cooldownUntil) ? { reason, cooldownUntil } : UNSURE;
  },
  VipAcquired: single('address', isString),
  VipReleased: single('address', isString),
  VipFailed(value) {
    if (!isObject(value)) return UNSURE;
    const { operation, cause, message, output } = value;
    if (!isVipOperation(operation) || !isVipCause(cause) || !isString(message) || !isString(output)) {
      return UNSURE;
    }
    return { operation, cause, message, output };
  },
  HealthChecked(value) {
    if (!isPlainHealthChecked(value)) return UNSURE;
    const { probe, ok, detail } = value as NodeEventData<'HealthChecked'>;
    return { probe, ok, detail };
  },
  ShutdownRequested: readShutdown,
  ShutdownIgnored: readShutdown,
  TeardownStepStarted: single('step', isStep),
  TeardownStepCompleted: single('step', isStep),
  TeardownStepFailed(value) {
    if (!isObject(value)) return UNSURE;
    const { step, error, timedOut } = value;
    return isStep(step) && isString(error) && typeof timedOut === 'boolean'
      ? { step, error, timedOut }
      : UNSURE;
  },
  TeardownFinished: readEmpty,
  RestartScheduled(value) {
    if (!isObject(value)) return UNSURE;
    const { attempt, backoffMs, budgetRemaining } = value;
    if (!isPositiveCount(attempt) || !isTime(backoffMs) || !isCount(budgetRemaining)) return UNSURE;
    return { attempt, backoffMs, budgetRemaining };
  },
  ServicesStarted: single('incarnation', isPositiveCount),
  ProcessStarted(value) {
    if (!isObject(value)) return UNSURE;
    const { pid, version, config } = value;
    if (!isPositiveCount(pid) || !isString(version)) return UNSURE;
    if (!has(value, 'config', config)) return { pid, version };
    if (config === undefined) return { pid, version, config };
    const read = readConfig(config);
    return read === UNSURE ? UNSURE : { pid, version, config: read };
  },
  StateCheckpoint(value) {
    if (!isObject(value)) return UNSURE;
    const { node, tasks } = value;
    if (!isNonEmpty(node)) return UNSURE;
    if (!has(value, 'tasks', tasks)) return { node };
    if (tasks === undefined) return { node, tasks };
    if (!isObject(tasks)) return UNSURE;
    const { position, hash } = tasks;
    return isCount(position) && isNonEmpty(hash) ? { node, tasks: { position, hash } } : UNSURE;
  },
  RestartBudgetExhausted(value) {
    if (!isObject(value)) return UNSURE;
    const { restarts, windowMs } = value;
    return isCount(restarts) && isTime(windowMs) ? { restarts, windowMs } : UNSURE;
  },
  SignalReceived: single('signal', (signal) => isString(signal) && SIGNAL.test(signal)),
  EventLoopStalled: single('delayMs', isTime),
};
