/** Validation errors that name the field at fault, as the HTTP API returns them in a 400. */
import type { z } from 'zod';

/** One thing wrong with a request: `field` is a dotted path ("backoff.maxMs"), "" for the body itself. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export type Validation<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/** Parses `body` with `schema`; never throws. */
export function validateWith<S extends z.ZodType>(schema: S, body: unknown): Validation<z.output<S>> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, errors: parsed.error.issues.flatMap(fieldErrors) };
}

function fieldErrors(issue: z.core.$ZodIssue): FieldError[] {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ field: [...path, key].join('.'), message: 'unknown field' }));
  }
  return [{ field: path.join('.'), message: issue.message }];
}
