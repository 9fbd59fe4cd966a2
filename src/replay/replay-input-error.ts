/**
 * A replay or bundle that cannot start: a bad flag, a missing file, an archive that is no bundle.
 * The command prints its message and exits with 2; it never means "anomalies were found".
 */
export class ReplayInputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReplayInputError';
  }
}

/** Is this a ReplayInputError? */
export function isReplayInputError(error: unknown): error is ReplayInputError {
  return error instanceof ReplayInputError;
}
