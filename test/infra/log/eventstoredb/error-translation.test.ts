import {
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NO_STREAM,
  STREAM_EXISTS,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, hasCode, TaskdError } from '../../../../src/errors.ts';
import {
  isStreamNotFound,
  translateEsdbError,
} from '../../../../src/infra/log/eventstoredb/error-translation.ts';
import { type ExpectedRevisionConflict, isExpectedRevisionConflict } from '../../../../src/infra/log/port.ts';

const onAppend = { operation: 'append', stream: 'dispatch', expected: 4 } as const;

describe('a wrong expected version', () => {
  it('becomes ExpectedRevisionConflict with the stream, the expectation and where the stream is', () => {
    const wrong = new WrongExpectedVersionError(undefined, {
      streamName: 'taskd-blue:dispatch',
      expected: 4n,
      current: 6n,
    });
    const error = translateEsdbError(wrong, onAppend);
    expect(isExpectedRevisionConflict(error)).toBe(true);
    expect(error).toMatchObject({
      code: ErrorCodes.EXPECTED_REVISION_CONFLICT,
      stream: 'dispatch',
      expected: 4,
      actual: 6,
      cause: wrong,
    });
  });

  it('says no_stream when the stream does not exist', () => {
    const wrong = new WrongExpectedVersionError(undefined, {
      streamName: 'taskd-blue:dispatch',
      expected: STREAM_EXISTS,
      current: NO_STREAM,
    });
    const error = translateEsdbError(wrong, { operation: 'append', stream: 'dispatch', expected: 'exists' });
    expect(error).toMatchObject({ expected: 'exists', actual: 'no_stream' });
  });

  it('takes the expectation from the client error when the adapter did not name one', () => {
    const wrong = new WrongExpectedVersionError(undefined, {
      streamName: 'taskd-blue:dispatch',
      expected: NO_STREAM,
      current: 0n,
    });
    const error = translateEsdbError(wrong, {
      operation: 'append',
      stream: 'dispatch',
    }) as ExpectedRevisionConflict;
    expect(error.expected).toBe('no_stream');
    expect(error.actual).toBe(0);
  });
});

describe('unavailability', () => {
  it.each([
    ['UnavailableError', new UnavailableError()],
    ['DeadlineExceededError', new DeadlineExceededError()],
    ['a CancelledError from the server', new CancelledError()],
  ])('%s becomes LOG_UNAVAILABLE carrying its cause', (_name, clientError) => {
    const error = translateEsdbError(clientError, onAppend);
    expect(hasCode(error, ErrorCodes.LOG_UNAVAILABLE)).toBe(true);
    expect(error.cause).toBe(clientError);
    expect((error as TaskdError).details).toMatchObject({ operation: 'append', stream: 'dispatch' });
  });

  it('is recognised in a raw gRPC error the client let through (code 14)', () => {
    const raw = Object.assign(new Error('14 UNAVAILABLE: No connection established'), {
      code: 14,
      details: 'No connection established',
    });
    expect(hasCode(translateEsdbError(raw, onAppend), ErrorCodes.LOG_UNAVAILABLE)).toBe(true);
  });

  it('is recognised in an object of the client error shape', () => {
    const shaped = { type: 'deadline-exceeded', message: 'deadline' };
    expect(hasCode(translateEsdbError(shaped, { operation: 'readAll' }), ErrorCodes.LOG_UNAVAILABLE)).toBe(
      true,
    );
  });
});

describe('other client errors', () => {
  it('the server append limit becomes BATCH_TOO_LARGE', () => {
    const error = translateEsdbError(MaxAppendSizeExceededError.fromMaxAppendSize(1_048_576), onAppend);
    expect(hasCode(error, ErrorCodes.BATCH_TOO_LARGE)).toBe(true);
    expect((error as TaskdError).details).toMatchObject({ stream: 'dispatch', maxAppendSize: 1_048_576 });
  });

  it('anything else is wrapped, with its cause, and is not mistaken for a retryable error', () => {
    const denied = new AccessDeniedError();
    const error = translateEsdbError(denied, onAppend);
    expect(error).not.toBeInstanceOf(TaskdError);
    expect(error.cause).toBe(denied);
    expect(error.message).toMatch(/append on "dispatch"/);
  });

  it('a TaskdError passes through unchanged', () => {
    const ours = new TaskdError(ErrorCodes.LOG_CLOSED, 'closed');
    expect(translateEsdbError(ours, onAppend)).toBe(ours);
  });

  it('a missing stream is recognised, so a read of it yields nothing', () => {
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 'taskd-blue:dispatch'))).toBe(true);
    expect(isStreamNotFound(new UnavailableError())).toBe(false);
  });
});
