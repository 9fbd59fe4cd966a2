/**
 * What each error becomes on the wire. Client mistakes are 4xx with the field at fault; a log or
 * ZooKeeper that cannot take the write now is 503 with Retry-After; anything else is a bug: 500,
 * logged with the error, and the body says only "internal error" and the request id.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, ErrorCodes, TaskdError } from '../../errors.ts';
import { InvalidRequest } from '../../streams/task-service.ts';
import { ApiProblem, invalidRequest, type ProblemCode } from './problem.ts';

/** Seconds a client should wait before retrying a 503. */
export const RETRY_AFTER_SECONDS = 1;

/** Codes that mean "the shared state cannot take a write right now": the request itself was fine. */
const UNAVAILABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  ErrorCodes.LOG_UNAVAILABLE,
  ErrorCodes.LOG_CLOSED,
  ErrorCodes.LOG_LOCKED,
  ErrorCodes.EXPECTED_REVISION_CONFLICT,
  ErrorCodes.ZK_TIMEOUT,
  ErrorCodes.ZK_CONNECTION_LOSS,
  ErrorCodes.ZK_SESSION_EXPIRED,
  ErrorCodes.ZK_CLOSED,
]);

/** The ApiProblem an error stands for, or undefined when it is a bug. */
export function problemOf(error: unknown): ApiProblem | undefined {
  if (error instanceof ApiProblem) return error;
  if (error instanceof InvalidRequest) return invalidRequest(error.errors);
  if (error instanceof TaskdError) return problemOfTaskdError(error);
  return problemOfFastifyError(error);
}

function problemOfTaskdError(error: TaskdError): ApiProblem | undefined {
  if (UNAVAILABLE.has(error.code)) {
    return new ApiProblem(503, 'unavailable', 'the task log cannot take writes now', [], {
      headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
    });
  }
  if (error.code === ErrorCodes.BATCH_TOO_LARGE) {
    const message = 'the batch is too large for the task log; send fewer tasks';
    return new ApiProblem(413, 'payload_too_large', message, [{ field: 'tasks', message }]);
  }
  if (error.code === ErrorCodes.ZK_NO_NODE) {
    return new ApiProblem(404, 'not_found', error.message, [{ field: 'id', message: error.message }]);
  }
  if (error.code === ErrorCodes.VALIDATION) {
    const field = typeof error.details.field === 'string' ? error.details.field : '';
    return invalidRequest([{ field, message: error.message }]);
  }
  return undefined;
}

/** Fastify's own 4xx errors (malformed JSON, body too large, media type): the body is at fault. */
function problemOfFastifyError(error: unknown): ApiProblem | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  const message = describeFastifyError(error as { code?: unknown; message?: unknown });
  return new ApiProblem(status, codeOfStatus(status), message, [{ field: '', message }]);
}

function describeFastifyError(error: { code?: unknown; message?: unknown }): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'the body is not valid JSON';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'the body is larger than the limit';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'send the body as application/json';
    default:
      return typeof error.message === 'string' ? error.message : 'bad request';
  }
}

function codeOfStatus(status: number): ProblemCode {
  if (status === 400) return 'invalid_request';
  if (status === 413) return 'payload_too_large';
  if (status === 415) return 'unsupported_media_type';
  return 'bad_request';
}

/** Fastify error handler: sends the problem, or logs the bug and sends a bare 500. */
export function replyToError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = problemOf(error);
  if (problem === undefined) {
    request.log.error({ err: error }, 'request failed with an unexpected error');
    return reply
      .code(500)
      .send({ error: 'internal_error', message: 'internal error', requestId: request.id });
  }
  if (problem.status >= 500) request.log.warn({ err: error }, 'request refused: %s', problem.message);
  return reply
    .code(problem.status)
    .headers(problem.extra.headers ?? {})
    .send(problem.body(request.id));
}

/** 404 for a route that does not exist, in the same JSON shape as every other error. */
export function replyNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const message = `no route ${request.method} ${request.url.split('?')[0]}`;
  return reply
    .code(404)
    .send(new ApiProblem(404, 'not_found', message, [{ field: '', message }]).body(request.id));
}
