/** Option value parsers: a wrong value is a usage error (exit 2) before any request is made. */
import { InvalidArgumentError } from 'commander';
import type { JsonValue } from '../../domain/task/events.ts';

/** A whole number between min and max. */
export function wholeNumber(min = 0, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number');
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`must be between ${min} and ${max}`);
    return n;
  };
}

/** A JSON value. */
export function jsonValue(value: string): JsonValue {
  try {
    return JSON.parse(value) as JsonValue;
  } catch {
    throw new InvalidArgumentError(`must be JSON, e.g. '{"ms":100}'`);
  }
}
