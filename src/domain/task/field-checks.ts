/**
 * The checks of single values that both hand-written readers of task events use (event-shapes.ts
 * for every type, plain-events.ts for the usual ones): each says what its zod schema says, and a
 * rule lives here once.
 */
import { TaskLimits } from './policy.ts';

export type Check = (value: unknown) => boolean;

export const isString = (value: unknown): value is string => typeof value === 'string';
export const isId: Check = (value) =>
  isString(value) && value.length >= 1 && value.length <= TaskLimits.idLength;
export const isCount: Check = (value) => Number.isSafeInteger(value) && (value as number) >= 0;
export const isAttempt: Check = (value) => Number.isSafeInteger(value) && (value as number) >= 1;
export const isTime: Check = (value) => typeof value === 'number' && Number.isFinite(value);
export const isText =
  (max: number): Check =>
  (value) =>
    isString(value) && value.length <= max;
export const isBoolean: Check = (value) => typeof value === 'boolean';
export const isType: Check = (value) =>
  isString(value) && value.length >= 1 && value.length <= TaskLimits.typeLength;
export const isKey: Check = (value) =>
  isString(value) && value.length >= 1 && value.length <= TaskLimits.idempotencyKeyLength;
export const isProgress: Check = (value) => typeof value === 'number' && value >= 0 && value <= 1;
export const isMultiplier: Check = (value) =>
  typeof value === 'number' && Number.isFinite(value) && value >= 1;
export const isReason = isText(TaskLimits.reasonLength);
export const isCausationId = isText(TaskLimits.idLength);

/** An object literal or a JSON.parse result: not an array, not a class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A value zod's z.json() accepts and gives back equal, plainly built; anything unusual goes to zod.
 * zod copies objects, so only one built on Object.prototype without an own "__proto__" key (JSON.parse
 * makes one; the copy does not keep it as a key) comes back the same.
 */
export function isJson(value: unknown): boolean {
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
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      for (const key in value) {
        if (key === '__proto__' || !isJson((value as Record<string, unknown>)[key])) return false;
      }
      return true;
    default:
      return false;
  }
}
