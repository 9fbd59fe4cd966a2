/**
 * taskctl's exit codes, one per failure class, so scripts can tell "the server said no" from "the
 * server is down" without reading messages.
 */
export const ExitCodes = {
  ok: 0,
  /** The server refused the request (4xx): bad input, unknown task, missing token, ... */
  refused: 1,
  /** The command line is wrong (commander's own errors, a bad option value). */
  usage: 2,
  /** No answer: connection refused, DNS, timeout. */
  unreachable: 3,
  /** The server failed (5xx), including 503 while the task log is unavailable. */
  serverError: 4,
  /** A bug in taskctl itself (sysexits' EX_SOFTWARE). */
  internal: 70,
  /** Ctrl-C during a request (watch ends with 0 instead: stopping it is how it is meant to end). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCodes)[keyof typeof ExitCodes];

/** A command line that cannot work, found after commander parsed it (e.g. a malformed endpoint). */
export class UsageError extends Error {
  readonly exitCode = ExitCodes.usage;
}

/** The endpoint did not answer. */
export class UnreachableError extends Error {
  readonly exitCode = ExitCodes.unreachable;
}

/** The user pressed Ctrl-C while a request was in flight. */
export class InterruptedError extends Error {
  readonly exitCode = ExitCodes.interrupted;
}

/** The server answered with an error status; `body` is its JSON error, when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }

  get exitCode(): ExitCode {
    return this.status >= 500 ? ExitCodes.serverError : ExitCodes.refused;
  }
}

/** The exit code an error stands for (a bug in taskctl when it has none of its own). */
export function exitCodeOf(error: unknown): ExitCode {
  if (
    error instanceof ApiError ||
    error instanceof UsageError ||
    error instanceof UnreachableError ||
    error instanceof InterruptedError
  ) {
    return error.exitCode;
  }
  return ExitCodes.internal;
}
