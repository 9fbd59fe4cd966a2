/**
 * Every way `taskd` ends, one code each (sysexits-style where one fits). Documented in the README and
 * matched by deploy/taskd.service.
 */
export const ExitCode = {
  /** Stopped on request (SIGTERM, SIGINT, API), teardown completed. */
  OK: 0,
  /** Bad command line or configuration; nothing was started (EX_USAGE). */
  CONFIG: 64,
  /** An internal error stopped the node after its teardown (EX_SOFTWARE). */
  FATAL: 70,
  /** A teardown step hung past the hard deadline; the process ended without finishing it. */
  TEARDOWN_DEADLINE: 71,
  /** ZooKeeper session lost and --exit-on-session-loss is set: restart me (EX_TEMPFAIL). */
  SESSION_LOST: 75,
  /** Session lost too often within the restart window: the node gave up restarting in-process. */
  RESTART_BUDGET_EXHAUSTED: 76,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
