/**
 * The configuration every chaos node runs with, in one place: the oracle judges against the same
 * numbers the nodes were given (session timeout, suspicion window, restart budget).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SESSION_TIMEOUT_MS = 2_000;
export const SUSPICION_FRACTION = 0.6;
/** How long a disconnected node waits before it acts as if its session were lost. */
export const SUSPICION_WINDOW_MS = SESSION_TIMEOUT_MS * SUSPICION_FRACTION;

/**
 * Restarts: quick backoffs so a scenario drains in seconds, and a budget no fixed scenario reaches
 * (the heaviest, fifty expiries in a row plus a kill, needs fifty-one): the budget must never be what
 * ends a run of expiries. A long random schedule is judged against the window, as the node is.
 */
export const RESTART = {
  initialBackoffMs: 200,
  maxBackoffMs: 1_000,
  multiplier: 1.5,
  budget: 60,
  windowMs: 600_000,
} as const;

/** Writes the YAML file with what has no flag (restart policy); returns its path. */
export function writeChaosConfig(dir: string): string {
  const path = join(dir, 'chaos.yaml');
  const restart = Object.entries(RESTART)
    .map(([key, value]) => `  ${key}: ${value}`)
    .join('\n');
  writeFileSync(path, `restart:\n${restart}\n`);
  return path;
}
