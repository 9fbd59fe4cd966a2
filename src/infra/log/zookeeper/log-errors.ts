/**
 * Errors of the ZooKeeper edge become the task log's own at this backend's boundary: callers of the
 * port see LOG_CLOSED once the log is closed, LOG_UNAVAILABLE for everything ZooKeeper did not do,
 * and never a ZK_* code. Errors that already speak the port's language pass through.
 */
import { ErrorCodes, TaskdError } from '../../../errors.ts';
import { isZkError, mayHaveBeenApplied } from '../../zookeeper/index.ts';
import { ExpectedRevisionConflict } from '../port.ts';

const PORT_CODES = new Set<string>([
  ErrorCodes.EXPECTED_REVISION_CONFLICT,
  ErrorCodes.BATCH_TOO_LARGE,
  ErrorCodes.VALIDATION,
  ErrorCodes.LOG_CLOSED,
  ErrorCodes.LOG_UNAVAILABLE,
  ErrorCodes.LOG_CORRUPT,
]);

/** The error a closed log gives. */
export function logClosedError(root: string, cause?: unknown): TaskdError {
  return new TaskdError(
    ErrorCodes.LOG_CLOSED,
    `the zookeeper task log at ${root} is closed`,
    { root },
    cause === undefined ? undefined : { cause },
  );
}

/**
 * The port's error for a failure during `operation`. An append that failed with its outcome unknown
 * (the request reached ZooKeeper and no answer came back) says so in `details.mayHaveBeenApplied`:
 * the caller reads the stream before retrying (an expected revision makes the retry safe anyway).
 */
export function toLogError(
  error: unknown,
  context: { readonly root: string; readonly operation: string; readonly closed: boolean },
): unknown {
  if (error instanceof ExpectedRevisionConflict) return error;
  if (error instanceof TaskdError && PORT_CODES.has(error.code)) return error;
  if (context.closed) return logClosedError(context.root, error);
  if (!isZkError(error)) return error;
  const applied = mayHaveBeenApplied(error);
  return new TaskdError(
    ErrorCodes.LOG_UNAVAILABLE,
    `zookeeper task log ${context.operation} failed: ${error.message}`,
    {
      root: context.root,
      operation: context.operation,
      zkCode: error.code,
      ...(context.operation === 'append' ? { mayHaveBeenApplied: applied } : {}),
    },
    { cause: error },
  );
}
