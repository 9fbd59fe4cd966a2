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
import {
  type Check,
  isAttempt,
  isBoolean,
  isCausationId,
  isCount,
  isId,
  isJson,
  isKey,
  isMultiplier,
  isPlainObject,
  isProgress,
  isReason,
  isText,
  isTime,
  isType,
} from './field-checks.ts';
import { plainShape } from './plain-events.ts';
import { TaskLimits } from './policy.ts';

/** [key, check, optional] in the schema's order. */
type Field = readonly [string, Check, boolean?];

const backoffFields: readonly Field[] = [
  ['initialMs', isCount],
  ['multiplier', isMultiplier],
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
  ['causationId', isCausationId, true],
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
      ['reason', isReason, true],
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
  TaskInterrupted: { fields: [...dispatchRef, ['reason', isReason]] },
  TaskRequeued: { fields: [...dispatchRef, ['notBefore', isTime]] },
  TaskTimedOut: { fields: dispatchRef },
  TaskCancelled: { fields: [...dispatchRef, ['reason', isReason, true]] },
  TaskAttemptsExhausted: { fields: [...dispatchRef, ['reason', isReason]] },
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
  return plainShape(type, data, meta) ?? tableShape(type, data, meta);
}

/** checkedShape by the table alone (plain-events.ts reads the usual events faster, the same way). */
export function tableShape(
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
