/**
 * Reads what `ip` said. Idempotence lives here (an address already there is acquired, one already
 * gone is released), and so does the retry decision: a configuration mistake does not heal by
 * retrying, anything else (timeouts, a missing binary, a busy kernel) might.
 */
import type { VipFailureCause } from '../../domain/node/events.ts';
import type { CommandResult } from '../command/index.ts';

// iproute2 words these differently across kernels: "RTNETLINK answers: File exists" (older) and
// "Error: ipv4: Address already assigned." (netlink extended acks, kernel 4.12 and later).
const ALREADY_PRESENT = [/File exists/i, /address already assigned/i];
const NOT_PRESENT = [/Cannot assign requested address/i, /address not found/i];

interface ConfigMistake {
  readonly pattern: RegExp;
  readonly what: string;
}

const CONFIG_MISTAKES: readonly ConfigMistake[] = [
  { pattern: /Cannot find device|Device "[^"]*" does not exist/i, what: 'unknown interface' },
  { pattern: /valid prefix is expected|prefix is expected|invalid prefix/i, what: 'malformed address' },
  // Missing CAP_NET_ADMIN is a deployment mistake: retrying cannot grant it.
  { pattern: /Operation not permitted|Permission denied/i, what: 'not permitted (needs CAP_NET_ADMIN)' },
];

/** Did `ip addr add` fail only because the address is already there? */
export function isAlreadyPresent(result: CommandResult): boolean {
  return (
    result.exitCode !== null && result.exitCode !== 0 && ALREADY_PRESENT.some((p) => p.test(result.output))
  );
}

/** Did `ip addr del` fail only because the address is not there? */
export function isNotPresent(result: CommandResult): boolean {
  return result.exitCode !== null && result.exitCode !== 0 && NOT_PRESENT.some((p) => p.test(result.output));
}

export interface Classified {
  readonly cause: VipFailureCause;
  /** What kind of failure, for the message: `unknown interface`, `timed out`, … */
  readonly what: string;
}

/** Classifies a failed `ip` command: configuration mistake or transient failure. */
export function classifyFailure(result: CommandResult): Classified {
  if (result.spawnError !== null) {
    const missing = result.spawnError.startsWith('ENOENT');
    return { cause: 'transient', what: missing ? `${result.argv[0]} is not installed` : 'could not start' };
  }
  if (result.timedOut) return { cause: 'transient', what: 'timed out' };
  if (result.aborted) return { cause: 'transient', what: 'aborted' };
  const mistake = CONFIG_MISTAKES.find(({ pattern }) => pattern.test(result.output));
  if (mistake !== undefined) return { cause: 'config', what: mistake.what };
  return { cause: 'transient', what: 'command failed' };
}
