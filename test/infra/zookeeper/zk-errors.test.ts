import zookeeper from 'node-zookeeper-client';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, TaskdError } from '../../../src/errors.ts';
import {
  isRetryableZkError,
  isSessionLostError,
  isZkError,
  mayHaveBeenApplied,
  translateZkError,
} from '../../../src/infra/zookeeper/index.ts';

const { Exception } = zookeeper;
/** The library's own factory (present at runtime, missing from its typings). */
const createException = (Exception as unknown as { create(code: number): Error }).create;
const context = { op: 'getData', path: '/a' };

describe('translateZkError', () => {
  it.each([
    [Exception.NO_NODE, ErrorCodes.ZK_NO_NODE],
    [Exception.NODE_EXISTS, ErrorCodes.ZK_NODE_EXISTS],
    [Exception.BAD_VERSION, ErrorCodes.ZK_BAD_VERSION],
    [Exception.NOT_EMPTY, ErrorCodes.ZK_NOT_EMPTY],
    [Exception.NO_AUTH, ErrorCodes.ZK_NO_AUTH],
    [Exception.AUTH_FAILED, ErrorCodes.ZK_NO_AUTH],
    [Exception.CONNECTION_LOSS, ErrorCodes.ZK_CONNECTION_LOSS],
    [Exception.SESSION_EXPIRED, ErrorCodes.ZK_SESSION_EXPIRED],
    [Exception.OPERATION_TIMEOUT, ErrorCodes.ZK_TIMEOUT],
    [Exception.MARSHALLING_ERROR, ErrorCodes.ZK_PROTOCOL],
    [Exception.SYSTEM_ERROR, ErrorCodes.ZK_OTHER],
    [Exception.INVALID_ACL, ErrorCodes.ZK_OTHER],
  ])('maps the library exception %i to %s, keeping the operation, the path and the cause', (zkCode, code) => {
    const cause = createException(zkCode);
    const error = translateZkError(cause, context);
    expect(error).toBeInstanceOf(TaskdError);
    expect(error).toMatchObject({ code, details: { op: 'getData', path: '/a', zkCode } });
    expect(error.cause).toBe(cause);
    expect(error.message).toContain('getData /a');
  });

  it('maps an argument error the library throws (a bad path) to VALIDATION', () => {
    expect(translateZkError(new Error('Node path must start with / character.'), context).code).toBe(
      ErrorCodes.VALIDATION,
    );
  });

  it('returns a TaskdError unchanged', () => {
    const error = new TaskdError(ErrorCodes.ZK_TIMEOUT, 'late');
    expect(translateZkError(error, context)).toBe(error);
  });
});

describe('predicates', () => {
  const of = (code: keyof typeof ErrorCodes, details: Record<string, unknown> = {}) =>
    new TaskdError(ErrorCodes[code], code, details);

  it('calls connection trouble, deadlines and malformed replies retryable, and nothing else', () => {
    expect(isRetryableZkError(of('ZK_CONNECTION_LOSS'))).toBe(true);
    expect(isRetryableZkError(of('ZK_TIMEOUT'))).toBe(true);
    expect(isRetryableZkError(of('ZK_PROTOCOL'))).toBe(true);
    expect(isRetryableZkError(of('ZK_NODE_EXISTS'))).toBe(false);
    expect(isRetryableZkError(of('ZK_SESSION_EXPIRED'))).toBe(false);
    expect(isRetryableZkError(new Error('x'))).toBe(false);
  });

  it('calls an expired or closed session lost', () => {
    expect(isSessionLostError(of('ZK_SESSION_EXPIRED'))).toBe(true);
    expect(isSessionLostError(of('ZK_CLOSED'))).toBe(true);
    expect(isSessionLostError(of('ZK_CONNECTION_LOSS'))).toBe(false);
  });

  it('says a request may have been applied unless the server answered or it was never sent', () => {
    expect(mayHaveBeenApplied(of('ZK_TIMEOUT', { sent: true }))).toBe(true);
    expect(mayHaveBeenApplied(of('ZK_CONNECTION_LOSS'))).toBe(true);
    expect(mayHaveBeenApplied(of('ZK_TIMEOUT', { sent: false }))).toBe(false);
    expect(mayHaveBeenApplied(of('ZK_BAD_VERSION'))).toBe(false);
  });

  it('recognises errors of the ZooKeeper edge', () => {
    expect(isZkError(of('ZK_OTHER'))).toBe(true);
    expect(isZkError(of('VALIDATION'))).toBe(false);
    expect(isZkError('ZK_OTHER')).toBe(false);
  });
});
