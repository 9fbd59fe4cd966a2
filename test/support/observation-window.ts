/**
 * A bounded observation window: the one place where a test looks for a fixed time, because what it
 * checks is that something does NOT happen (no flap, no leadership change) for that long.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface ObservationWindow {
  /** How many looks were taken. */
  readonly probes: number;
  /** What the looks found wrong, each at its first sighting: `probe 3 (+1026 ms): …`. Empty: nothing. */
  readonly violations: readonly string[];
}

/** Looks every `everyMs` for `forMs` (the first look at once) and collects what `look` finds wrong. */
export async function observeFor(
  forMs: number,
  everyMs: number,
  look: () => Promise<readonly string[]>,
): Promise<ObservationWindow> {
  const start = Date.now();
  const seen = new Map<string, string>();
  let probes = 0;
  while (Date.now() < start + forMs) {
    probes += 1;
    const at = Date.now() - start;
    // The same finding at every later look says nothing more: keep its first sighting.
    for (const found of await look()) {
      if (!seen.has(found)) seen.set(found, `probe ${probes} (+${at} ms): ${found}`);
    }
    await sleep(everyMs);
  }
  return { probes, violations: [...seen.values()] };
}
