/**
 * EventStoreDB client errors become the port's errors here, at the edge, and nowhere else.
 *
 * Errors are recognised by the client's `type` tag (ErrorType), not by class identity, so objects of
 * the client's error shape and errors from a second copy of the package translate the same. Raw gRPC
 * errors (the client lets some through, e.g. when it cannot connect) are converted first.
 */
import {
  ANY,
  convertToCommandError,
  ErrorType,
  NO_STREAM,
  type WrongExpectedVersionError,
} from '@eventstore/db-client';
import { ErrorCodes, TaskdError } from '../../../errors.ts';
import { type ExpectedRevision, ExpectedRevisionConflict } from '../port.ts';
import { fromAppendExpectedRevision, fromCurrentRevision } from './revisions.ts';

/** What the adapter was doing: names the port's stream and expectation in the translated error. */
export interface ErrorContext {
  readonly operation: 'append' | 'readStream' | 'readAll' | 'subscribeAll';
  readonly stream?: string;
  readonly expected?: ExpectedRevision;
}

/** Error types that mean "the server cannot be reached or did not answer in time": retry later. */
const UNAVAILABLE_TYPES: ReadonlySet<string> = new Set([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  // The client reconnects to the new leader on its next call.
  ErrorType.NOT_LEADER,
  // Our own cancellations are filtered by the client; a CANCELLED that reaches us came from the server.
  ErrorType.CANCELLED,
]);

/** The port's error for anything the client threw. TaskdErrors pass through unchanged. */
export function translateEsdbError(error: unknown, context: ErrorContext): Error {
  if (error instanceof TaskdError) return error;
  const converted = error instanceof Error ? convertToCommandError(error) : error;
  const type = errorType(converted);
  const message = converted instanceof Error ? converted.message : String(converted);

  if (type === ErrorType.WRONG_EXPECTED_VERSION) {
    const wrong = converted as Partial<Pick<WrongExpectedVersionError, 'expectedVersion' | 'actualVersion'>>;
    const expected = context.expected ?? fromAppendExpectedRevision(wrong.expectedVersion ?? ANY);
    const actual = fromCurrentRevision(wrong.actualVersion ?? NO_STREAM);
    const conflict = new ExpectedRevisionConflict(context.stream ?? '', expected, actual);
    conflict.cause = converted;
    return conflict;
  }
  if (type === ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED) {
    const limit = (converted as { maxAppendSize?: unknown }).maxAppendSize;
    return new TaskdError(
      ErrorCodes.BATCH_TOO_LARGE,
      `stream "${context.stream ?? ''}": the server refused the batch, larger than its ${String(limit)}-byte append limit`,
      { stream: context.stream, maxAppendSize: limit },
      { cause: converted },
    );
  }
  if (type !== undefined && UNAVAILABLE_TYPES.has(type)) {
    return new TaskdError(
      ErrorCodes.LOG_UNAVAILABLE,
      `eventstoredb ${context.operation} failed: ${message}`,
      { operation: context.operation, stream: context.stream, esdbError: type },
      { cause: converted },
    );
  }
  return new Error(
    `eventstoredb ${context.operation}${context.stream ? ` on "${context.stream}"` : ''} failed: ${message}`,
    {
      cause: converted,
    },
  );
}

/** Is this client error a missing stream (a read of a stream nobody wrote yet)? */
export function isStreamNotFound(error: unknown): boolean {
  const converted = error instanceof Error ? convertToCommandError(error) : error;
  return errorType(converted) === ErrorType.STREAM_NOT_FOUND;
}

function errorType(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const type = (error as { type?: unknown }).type;
  return typeof type === 'string' ? type : undefined;
}
