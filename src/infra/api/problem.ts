/**
 * The one shape of every error the API sends, and the error a route throws to send it.
 *
 * Body: `{ error, message, errors, requestId }`. `error` is a stable snake_case code for tools,
 * `message` a sentence for people, and `errors` names each field at fault ("" is the body itself;
 * query parameters and path parameters go by their own names). Every 4xx carries at least one.
 * A 500 carries only `{ error: 'internal_error', message: 'internal error', requestId }`.
 */
import type { FieldError } from '../../domain/task/field-errors.ts';

export type ProblemCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'not_found'
  | 'already_finished'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'bad_request'
  | 'unavailable'
  | 'internal_error';

export interface ProblemBody {
  readonly error: ProblemCode;
  readonly message: string;
  readonly errors?: readonly FieldError[];
  readonly requestId?: string;
  /** A 409 for a finished task carries the task as it is. */
  readonly task?: unknown;
}

/** An answer other than success, thrown by a route and sent by the error handler. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    message: string,
    readonly errors: readonly FieldError[],
    readonly extra: { readonly task?: unknown; readonly headers?: Readonly<Record<string, string>> } = {},
  ) {
    super(message);
    this.name = 'ApiProblem';
  }

  /** The body to send, with the request's id. */
  body(requestId: string): ProblemBody {
    const task = this.extra.task === undefined ? {} : { task: this.extra.task };
    return { error: this.code, message: this.message, errors: this.errors, requestId, ...task };
  }
}

/** 400 naming the fields at fault. */
export function invalidRequest(errors: readonly FieldError[]): ApiProblem {
  const summary = errors.map((e) => (e.field === '' ? e.message : `${e.field}: ${e.message}`)).join('; ');
  return new ApiProblem(400, 'invalid_request', `invalid request: ${summary}`, errors);
}

/** 404 for a thing named by a path parameter. */
export function notFound(field: string, message: string): ApiProblem {
  return new ApiProblem(404, 'not_found', message, [{ field, message }]);
}
