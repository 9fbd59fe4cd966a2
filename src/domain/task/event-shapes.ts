/**
 * The task events' shapes checked by hand: the fast path of parseTaskEvent.
 *
 * Why: every node parses every event of the log, and a zod parse of an event costs several times the
 * fold of it. These checks say the same as the zod schemas in schemas.ts, field for field, but only
 * ever ACCEPT: whatever they do not accept exactly (an unknown key, a key present as undefined, a
 * value of another type or out of bounds) goes to zod, which decides and says why. What they accept
 * they copy the way zod would: the schema's keys in the schema's order, nothing else. A property test
 * holds them to zod's answers.
 */
import type { EventMeta } from '../event.ts';
import type { TaskEventType } from './events.ts';
import { TaskLimits } from './policy.ts';

type Check = (value: unknown) => boolean;
/** [key, check, optional] in the schema's order. */
type Field = readonly [string, Check, boolean?];

const isString = (value: unknown): value is string => typeof value === 'string';
const isId: Check = (value) => isString(value) && value.length >= 1 && value.length <= TaskLimits.idLength;
const isCount: Check = (value) => Number.isSafeInteger(value) && (value as number) >= 0;
const isAttempt: Check = (value) => Number.isSafeInteger(value) && (value as number) >= 1;
const isTime: Check = (value) => typeof value === 'number' && Number.isFinite(value);
const isText =
  (max: number): Check =>
  (value) =>
    isString(value) && value.length <= max;
const isBoolean: Check = (value) => typeof value === 'boolean';
const isType: Check = (value) =>
  isString(value) && value.length >= 1 && value.length <= TaskLimits.typeLength;
const isKey: Check = (value) =>
  isString(value) && value.length >= 1 && value.length <= TaskLimits.idempotencyKeyLength;
const isProgress: Check = (value) => typeof value === 'number' && value >= 0 && value <= 1;

const reason = isText(TaskLimits.reasonLength);
const backoffFields: readonly Field[] = [
  ['initialMs', isCount],
  ['multiplier', (value) => typeof value === 'number' && Number.isFinite(value) && value >= 1],
  ['maxMs', isCount],
];
const errorFields: readonly Field[] = [
  ['message', isText(TaskLimits.messageLength)],
  ['code', isText(TaskLimits.typeLength), true],
];
const metaFields: readonly Field[] = [
  ['node', isId],
  ['incarnation', isCount],
  ['epoch', isCount, true],
  ['causationId', isText(TaskLimits.idLength), true],
  ['at', isTime],
];

const dispatchRef: readonly Field[] = [
  ['taskId', isId],
  ['attempt', isAttempt],
  ['epoch', isCount],
];
const runnerRef: readonly Field[] = [...dispatchRef, ['node', isId], ['incarnation', isCount]];

/** Nested objects are copied too: [key, fields of the nested object, optional]. */
type Nested = readonly [string, readonly Field[], boolean?];
interface Shape {
  readonly fields: readonly Field[];
  readonly nested?: readonly Nested[];
  /** JSON values, kept as they are once checked: [key, optional]. */
  readonly json?: readonly (readonly [string, boolean])[];
}

const shapes: Readonly<Record<TaskEventType, Shape>> = {
  TaskSubmitted: {
    fields: [
      ['taskId', isId],
      ['type', isType],
      ['idempotencyKey', isKey, true],
      ['maxAttempts', isAttempt],
      ['timeoutMs', isCount, true],
      ['retentionMs', isCount, true],
    ],
    nested: [['backoff', backoffFields]],
    json: [['payload', false]],
  },
  TaskCancelRequested: {
    fields: [
      ['taskId', isId],
      ['reason', reason, true],
    ],
  },
  EpochStarted: {
    fields: [
      ['epoch', isCount],
      ['leader', isId],
      ['incarnation', isCount],
    ],
  },
  TaskAssigned: {
    fields: [...dispatchRef, ['node', isId], ['incarnation', isCount], ['deadline', isTime, true]],
  },
  TaskInterrupted: { fields: [...dispatchRef, ['reason', reason]] },
  TaskRequeued: { fields: [...dispatchRef, ['notBefore', isTime]] },
  TaskTimedOut: { fields: dispatchRef },
  TaskCancelled: { fields: [...dispatchRef, ['reason', reason, true]] },
  TaskAttemptsExhausted: { fields: [...dispatchRef, ['reason', reason]] },
  TaskRetired: {
    fields: [
      ['taskId', isId],
      ['epoch', isCount],
    ],
  },
  TaskStarted: { fields: runnerRef },
  TaskProgressed: {
    fields: [...runnerRef, ['progress', isProgress], ['message', isText(TaskLimits.messageLength), true]],
  },
  TaskSucceeded: { fields: runnerRef, json: [['result', true]] },
  TaskFailed: { fields: [...runnerRef, ['retryable', isBoolean]], nested: [['error', errorFields]] },
};

/** The event's data and meta as zod would give them back, or undefined when zod must decide. */
export function checkedShape(
  type: TaskEventType,
  data: unknown,
  meta: unknown,
): { readonly data: unknown; readonly meta: EventMeta } | undefined {
  const checkedMeta = copied(meta, metaFields);
  if (checkedMeta === undefined) return undefined;
  const shape = shapes[type];
  if (!isPlainObject(data)) return undefined;
  if (shape.nested === undefined && shape.json === undefined) {
    const exact = copied(data, shape.fields);
    return exact === undefined ? undefined : { data: exact, meta: checkedMeta as unknown as EventMeta };
  }
  const out = copied(data, shape.fields, false);
  if (out === undefined) return undefined;
  let known = Object.keys(out).length;
  for (const [key, fields, optional] of shape.nested ?? []) {
    const value = data[key];
    if (value === undefined) {
      if (optional !== true || key in data) return undefined;
      continue;
    }
    const nested = copied(value, fields);
    if (nested === undefined) return undefined;
    out[key] = nested;
    known += 1;
  }
  for (const [key, optional] of shape.json ?? []) {
    const value = data[key];
    if (value === undefined) {
      if (!optional || key in data) return undefined;
      continue;
    }
    if (!isJson(value)) return undefined;
    out[key] = value;
    known += 1;
  }
  // Any key the schema does not name: zod strips it, and says nothing; let it.
  if (Object.keys(data).length !== known) return undefined;
  return { data: out, meta: checkedMeta as unknown as EventMeta };
}

/**
 * `value` with `fields` checked, as zod gives it back: a copy with the fields in their order, or
 * undefined. `exact`: no other key may be there; then a plain object that already holds exactly those
 * keys in that order (what this project writes, read back by JSON.parse) is given back as it is, not
 * copied: the copy was most of the fast path's allocations.
 */
function copied(value: unknown, fields: readonly Field[], exact = true): Record<string, unknown> | undefined {
  if (!isPlainObject(value)) return undefined;
  const keys = exact ? Object.keys(value) : undefined;
  let present = 0;
  let inOrder = keys !== undefined && Object.getPrototypeOf(value) === Object.prototype;
  for (const [key, check, optional] of fields) {
    const item = value[key];
    if (item === undefined) {
      if (optional !== true || key in value) return undefined;
      continue;
    }
    if (!check(item)) return undefined;
    if (inOrder && keys?.[present] !== key) inOrder = false;
    present += 1;
  }
  if (keys !== undefined && keys.length !== present) return undefined;
  if (inOrder) return value;
  const out: Record<string, unknown> = {};
  for (const [key] of fields) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A value zod's z.json() accepts, plainly built (anything unusual goes to zod). */
function isJson(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      if (value === null) return true;
      if (Array.isArray(value)) {
        // Index by index: a hole reads as undefined, which is not JSON (every() would skip it).
        for (let i = 0; i < value.length; i++) if (!isJson(value[i])) return false;
        return true;
      }
      if (!isPlainObject(value)) return false;
      for (const key in value) if (!isJson(value[key])) return false;
      return true;
    default:
      return false;
  }
}
