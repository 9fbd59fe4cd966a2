/**
 * The events a cluster writes most (TaskSubmitted, TaskAssigned, TaskStarted, TaskSucceeded), read
 * by hand when they are exactly as this project writes them: every key in the order the domain's
 * decisions put it, nothing else, every value valid.
 *
 * Why: the table of event-shapes.ts reads every field through one loop for all shapes (a megamorphic
 * load and check per field): about 120 ns for each data and meta object of every event. Named reads
 * of the one shape the writers make take a fifth of that. These readers say yes only where the table
 * says yes, and give back exactly what it gives: the same objects where it gives the input back, a
 * copy with the same keys in the same order where it copies. Anything else is left to the table (a
 * property test holds them to it).
 */
import type { EventMeta } from '../event.ts';
import type { TaskEventType } from './events.ts';
import {
  isAttempt,
  isCausationId,
  isCount,
  isId,
  isJson,
  isKey,
  isMultiplier,
  isTime,
  isType,
} from './field-checks.ts';

interface Shape {
  readonly data: unknown;
  readonly meta: EventMeta;
}

/** The event's data and meta as the table of event-shapes.ts gives them, or undefined: ask it. */
export function plainShape(type: TaskEventType, data: unknown, meta: unknown): Shape | undefined {
  if (!isPlainMeta(meta) || !isLiteral(data)) return undefined;
  switch (type) {
    case 'TaskStarted':
      return isRunnerRef(data) && keysAre(data, RUNNER_KEYS) ? { data, meta } : undefined;
    case 'TaskAssigned':
      return isPlainAssigned(data) ? { data, meta } : undefined;
    case 'TaskSucceeded':
      return orUndefined(succeeded(data), meta);
    case 'TaskSubmitted':
      return orUndefined(submitted(data), meta);
    default:
      return undefined;
  }
}

/** Every list of keys an object may have, given its required keys and which of its optional ones. */
function keyLists(required: readonly string[], optional: readonly string[], at: number): string[][] {
  return Array.from({ length: 1 << optional.length }, (_, mask) => {
    const present = optional.filter((_, i) => (mask & (1 << i)) !== 0);
    return [...required.slice(0, at), ...present, ...required.slice(at)];
  });
}

// Indexed by which optional keys are there: bit i for the i-th optional key.
const META_KEYS = keyLists(['node', 'incarnation', 'at'], ['epoch', 'causationId'], 2);
const RUNNER_KEYS = ['taskId', 'attempt', 'epoch', 'node', 'incarnation'];
const ASSIGNED_KEYS = keyLists(RUNNER_KEYS, ['deadline'], 5);
const SUCCEEDED_KEYS = keyLists(RUNNER_KEYS, ['result'], 5);
// As decideSubmission writes them.
const SUBMITTED_KEYS = keyLists(
  ['taskId', 'type', 'payload', 'maxAttempts', 'backoff'],
  ['idempotencyKey', 'timeoutMs', 'retentionMs'],
  5,
);
const BACKOFF_KEYS = ['initialMs', 'multiplier', 'maxMs'];

const bit = (value: unknown, i: number): number => (value === undefined ? 0 : 1 << i);

function orUndefined(data: unknown, meta: EventMeta): Shape | undefined {
  return data === undefined ? undefined : { data, meta };
}

/** An object literal or a JSON.parse result (the table gives back only these as they are). */
function isLiteral(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * Are these exactly `value`'s keys, in this order? for-in, not Object.keys: nothing to allocate. It
 * also lists enumerable keys inherited from Object.prototype, if anything put one there: then this
 * says no, and the table decides.
 */
function keysAre(value: object, expected: readonly string[] | undefined): boolean {
  if (expected === undefined) return false;
  let i = 0;
  for (const key in value) if (key !== expected[i++]) return false;
  return i === expected.length;
}

function isPlainMeta(meta: unknown): meta is EventMeta {
  if (!isLiteral(meta)) return false;
  const { node, incarnation, epoch, causationId, at } = meta;
  return (
    isId(node) &&
    isCount(incarnation) &&
    isTime(at) &&
    (epoch === undefined || isCount(epoch)) &&
    (causationId === undefined || isCausationId(causationId)) &&
    keysAre(meta, META_KEYS[bit(epoch, 0) | bit(causationId, 1)])
  );
}

function isRunnerRef(data: Record<string, unknown>): boolean {
  const { taskId, attempt, epoch, node, incarnation } = data;
  return isId(taskId) && isAttempt(attempt) && isCount(epoch) && isId(node) && isCount(incarnation);
}

function isPlainAssigned(data: Record<string, unknown>): boolean {
  const { deadline } = data;
  return (
    isRunnerRef(data) &&
    (deadline === undefined || isTime(deadline)) &&
    keysAre(data, ASSIGNED_KEYS[bit(deadline, 0)])
  );
}

/** The table copies the data of a shape with JSON fields: the fields first, then the JSON ones. */
function succeeded(data: Record<string, unknown>): Record<string, unknown> | undefined {
  const { taskId, attempt, epoch, node, incarnation, result } = data;
  if (!isRunnerRef(data) || (result !== undefined && !isJson(result))) return undefined;
  if (!keysAre(data, SUCCEEDED_KEYS[bit(result, 0)])) return undefined;
  const copy: Record<string, unknown> = { taskId, attempt, epoch, node, incarnation };
  if (result !== undefined) copy.result = result;
  return copy;
}

/** The copy the table makes: its fields in its order, then backoff (as it is), then payload. */
function submitted(data: Record<string, unknown>): Record<string, unknown> | undefined {
  const { taskId, type, payload, maxAttempts, backoff, idempotencyKey, timeoutMs, retentionMs } = data;
  const valid =
    isId(taskId) &&
    isType(type) &&
    isAttempt(maxAttempts) &&
    (idempotencyKey === undefined || isKey(idempotencyKey)) &&
    (timeoutMs === undefined || isCount(timeoutMs)) &&
    (retentionMs === undefined || isCount(retentionMs)) &&
    isPlainBackoff(backoff) &&
    payload !== undefined &&
    isJson(payload) &&
    keysAre(data, SUBMITTED_KEYS[bit(idempotencyKey, 0) | bit(timeoutMs, 1) | bit(retentionMs, 2)]);
  if (!valid) return undefined;
  const copy: Record<string, unknown> = { taskId, type };
  if (idempotencyKey !== undefined) copy.idempotencyKey = idempotencyKey;
  copy.maxAttempts = maxAttempts;
  if (timeoutMs !== undefined) copy.timeoutMs = timeoutMs;
  if (retentionMs !== undefined) copy.retentionMs = retentionMs;
  copy.backoff = backoff;
  copy.payload = payload;
  return copy;
}

function isPlainBackoff(backoff: unknown): boolean {
  if (!isLiteral(backoff)) return false;
  const { initialMs, multiplier, maxMs } = backoff;
  return isCount(initialMs) && isMultiplier(multiplier) && isCount(maxMs) && keysAre(backoff, BACKOFF_KEYS);
}
