/**
 * Ctrl-C and SIGTERM for the demo: the first one aborts the run (its cleanup then stops what it
 * started); a second one while cleaning up ends the process at once, after killing the children.
 */

export interface Interrupts {
  /** Aborted with the signal's name when SIGINT or SIGTERM arrives. */
  readonly signal: AbortSignal;
  /** Removes the handlers. */
  dispose(): void;
}

/** Listens for SIGINT/SIGTERM; `killNow` must stop every child synchronously. */
export function listenForInterrupts(killNow: () => void): Interrupts {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      controller.abort(name);
      return;
    }
    killNow();
    process.exit(exitCodeFor(name));
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  for (const name of signals) process.on(name, onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const name of signals) process.off(name, onSignal);
    },
  };
}

/** The shell's convention: 128 + the signal's number. */
export function exitCodeFor(name: NodeJS.Signals): number {
  return name === 'SIGINT' ? 130 : 143;
}
