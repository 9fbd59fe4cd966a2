/**
 * One table of error codes for the whole project. Adapters translate vendor errors into these at the
 * edge; callers decide retries with the `isX` predicates, never by matching messages.
 */

export const ErrorCodes = {
  // task log
  EXPECTED_REVISION_CONFLICT: 'EXPECTED_REVISION_CONFLICT',
  LOG_UNAVAILABLE: 'LOG_UNAVAILABLE',
  BATCH_TOO_LARGE: 'BATCH_TOO_LARGE',
  LOG_CORRUPT: 'LOG_CORRUPT',
  LOG_LOCKED: 'LOG_LOCKED',
  LOG_CLOSED: 'LOG_CLOSED',
  // ZooKeeper edge
  ZK_TIMEOUT: 'ZK_TIMEOUT',
  ZK_CONNECTION_LOSS: 'ZK_CONNECTION_LOSS',
  ZK_SESSION_EXPIRED: 'ZK_SESSION_EXPIRED',
  ZK_NO_NODE: 'ZK_NO_NODE',
  ZK_NODE_EXISTS: 'ZK_NODE_EXISTS',
  ZK_BAD_VERSION: 'ZK_BAD_VERSION',
  ZK_NOT_EMPTY: 'ZK_NOT_EMPTY',
  ZK_NO_AUTH: 'ZK_NO_AUTH',
  ZK_CLOSED: 'ZK_CLOSED',
  ZK_PROTOCOL: 'ZK_PROTOCOL',
  ZK_OTHER: 'ZK_OTHER',
  // input
  VALIDATION: 'VALIDATION',
  CONFIG_INVALID: 'CONFIG_INVALID',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** Base of every error taskd raises on purpose: a stable code, a message for people, and details for tools. */
export class TaskdError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TaskdError';
  }
}

/** Is `error` a TaskdError with this code? */
export function hasCode(error: unknown, code: ErrorCode): error is TaskdError {
  return error instanceof TaskdError && error.code === code;
}
