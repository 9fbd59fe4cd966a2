/**
 * node-zookeeper-client's Exception codes become TaskdErrors at this edge, with the operation and
 * path in `details`. Callers decide retries with the predicates below, never by reading messages.
 */
import zookeeper from 'node-zookeeper-client';
import { type ErrorCode, ErrorCodes, TaskdError } from '../../errors.ts';

/** Where an error happened: the operation (getData, multi, ...) and, when there is one, the path. */
export interface ZkErrorContext {
  readonly op: string;
  readonly path?: string;
  readonly [key: string]: unknown;
}

const { Exception } = zookeeper;

const CODE_BY_EXCEPTION: ReadonlyMap<number, ErrorCode> = new Map([
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
]);

function exceptionCode(error: unknown): number | undefined {
  if (error instanceof Exception) return error.code;
  return undefined;
}

/** The TaskdError for an error the library reported (or threw) during `context.op`. */
export function translateZkError(error: unknown, context: ZkErrorContext): TaskdError {
  if (error instanceof TaskdError) return error;
  const code = exceptionCode(error);
  const where = context.path === undefined ? context.op : `${context.op} ${context.path}`;
  if (code !== undefined) {
    const name = (error as InstanceType<typeof Exception>).name;
    const taskdCode = CODE_BY_EXCEPTION.get(code) ?? ErrorCodes.ZK_OTHER;
    return new TaskdError(taskdCode, `${where}: ${name}`, { ...context, zkCode: code }, { cause: error });
  }
  // Anything else was thrown synchronously by the library's argument checks (bad path, bad data).
  const message = error instanceof Error ? error.message : String(error);
  return new TaskdError(ErrorCodes.VALIDATION, `${where}: ${message}`, { ...context }, { cause: error });
}

/** The error for a server reply the library cannot parse. */
export function protocolError(cause: unknown, context: ZkErrorContext): TaskdError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new TaskdError(ErrorCodes.ZK_PROTOCOL, `malformed reply from ZooKeeper: ${message}`, context, {
    cause,
  });
}

function codeOf(error: unknown): ErrorCode | undefined {
  return error instanceof TaskdError ? error.code : undefined;
}

/** Is this any error of the ZooKeeper edge? */
export function isZkError(error: unknown): error is TaskdError {
  return codeOf(error)?.startsWith('ZK_') ?? false;
}

/**
 * May the same request succeed if sent again on the same session once it is connected?
 * (Connection trouble, deadline, malformed reply; not answers from the server about the data.)
 */
export function isRetryableZkError(error: unknown): boolean {
  const code = codeOf(error);
  return (
    code === ErrorCodes.ZK_CONNECTION_LOSS ||
    code === ErrorCodes.ZK_TIMEOUT ||
    code === ErrorCodes.ZK_PROTOCOL
  );
}

/** Is the session behind this error gone for good (a new session is needed)? */
export function isSessionLostError(error: unknown): boolean {
  const code = codeOf(error);
  return code === ErrorCodes.ZK_SESSION_EXPIRED || code === ErrorCodes.ZK_CLOSED;
}

/**
 * Might the failed request have been applied anyway? True when it reached the server and no answer
 * came back; false when the server answered, or when the adapter withdrew it before sending.
 */
export function mayHaveBeenApplied(error: unknown): boolean {
  if (!isRetryableZkError(error)) return false;
  return (error as TaskdError).details.sent !== false;
}
