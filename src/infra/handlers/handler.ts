/**
 * What a task handler is: `export default { type, run(payload, { signal, progress, attempt, taskId }) }`.
 * Built-in handlers and operator modules share this one shape.
 */

export interface TaskContext {
  /** Aborted on cancel, deadline, or session loss: a handler must stop promptly when it fires. */
  readonly signal: AbortSignal;
  /** Reports progress in [0, 1] with an optional message. */
  readonly progress: (fraction: number, message?: string) => void;
  readonly attempt: number;
  readonly taskId: string;
}

export interface TaskHandler {
  readonly type: string;
  /** Resolves with the task's result (JSON-serialisable), or rejects with the reason it failed. */
  readonly run: (payload: unknown, context: TaskContext) => Promise<unknown>;
}

/** A failure the handler knows about; `retryable: false` spends no further attempts. */
export class TaskFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean = true,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'TaskFailure';
  }
}

/** Rejects with the abort reason if the signal has fired: for handlers between steps. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new TaskFailure(`aborted: ${String(signal.reason ?? 'abort')}`, false);
}
