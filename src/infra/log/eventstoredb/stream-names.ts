/**
 * Where a cluster's task-log streams live in EventStoreDB: `taskd-<cluster>:<stream>`.
 *
 * The cluster ends at ':', a character a cluster name may not hold (config allows letters, digits,
 * '.', '_' and '-'). With '-' as the separator, cluster "a" would read cluster "a-b"'s stream
 * "taskd-a-b-dispatch" as its own stream "b-dispatch"; ':' keeps every cluster's prefix disjoint.
 * The name still starts with "taskd-", so ESDB's $by_category projection groups all of taskd together.
 */
import { ErrorCodes, TaskdError } from '../../../errors.ts';

const SEPARATOR = ':';

/** The prefix shared by every stream of `cluster`; also the server-side subscription filter. */
export function streamPrefix(cluster: string): string {
  if (cluster.length === 0 || cluster.includes(SEPARATOR) || cluster.startsWith('$')) {
    throw new TaskdError(
      ErrorCodes.CONFIG_INVALID,
      `cluster name "${cluster}" cannot name EventStoreDB streams: it must be non-empty, hold no ":" and not start with "$"`,
      { cluster },
    );
  }
  return `taskd-${cluster}${SEPARATOR}`;
}

/** The EventStoreDB stream that holds the port's `stream`. */
export function toEsdbStream(prefix: string, stream: string): string {
  if (stream.length === 0) {
    throw new TaskdError(ErrorCodes.VALIDATION, 'a stream name cannot be empty', { stream });
  }
  return prefix + stream;
}

/** The port's stream name for an EventStoreDB stream, or undefined when it belongs to someone else. */
export function fromEsdbStream(prefix: string, esdbStream: string): string | undefined {
  if (!esdbStream.startsWith(prefix) || esdbStream.length === prefix.length) return undefined;
  return esdbStream.slice(prefix.length);
}
