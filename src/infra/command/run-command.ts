/**
 * The port through which the VIP adapter and the command probe run programs: argv in, a typed result
 * out, never a rejection. The real runner spawns (spawn-command.ts); unit tests hand in a scripted one.
 */

export interface CommandOptions {
  /** The child (and its process group) is killed when this passes; the result says `timedOut`. */
  readonly timeoutMs: number;
  /** Run inside this network namespace (`ip netns exec NS …`); tests use it, the daemon does not. */
  readonly netns?: string;
  /** Aborting kills the child: an unsubscribed probe leaves no process behind. */
  readonly signal?: AbortSignal;
  /** Combined stdout+stderr kept, from the end (the last lines say what went wrong). Default 16 KiB. */
  readonly outputLimitBytes?: number;
}

export interface CommandResult {
  /** What was run, as argv (with the `ip netns exec NS` prefix when there was one). */
  readonly argv: readonly string[];
  /** The same, quoted for people and journals: `ip addr add 10.0.0.5/24 dev eth0`. */
  readonly commandLine: string;
  /** Null when the command did not exit by itself (killed, or never started). */
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** stdout and stderr interleaved as they arrived, bounded. */
  readonly output: string;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  /** Why the command could not start (e.g. `ENOENT`: not installed), or null. */
  readonly spawnError: string | null;
}

export type RunCommand = (argv: readonly string[], options: CommandOptions) => Promise<CommandResult>;

/** Did the command run and exit 0? */
export function succeeded(result: CommandResult): boolean {
  return result.exitCode === 0 && !result.timedOut && !result.aborted && result.spawnError === null;
}

/** The argv actually run for `argv` inside `netns` (none: unchanged). */
export function inNetns(argv: readonly string[], netns: string | undefined): readonly string[] {
  return netns === undefined ? argv : ['ip', 'netns', 'exec', netns, ...argv];
}

const SAFE_WORD = /^[\w@%+=:,./-]+$/;

/** Quotes argv the way a POSIX shell would read it back, for display only (nothing runs a shell). */
export function commandLineOf(argv: readonly string[]): string {
  return argv.map((word) => (SAFE_WORD.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`)).join(' ');
}

/** One line saying how a command ended: `exit 2`, `timed out after 5000 ms`, `could not start: ENOENT`. */
export function endingOf(result: CommandResult, timeoutMs?: number): string {
  if (result.spawnError !== null) return `could not start: ${result.spawnError}`;
  if (result.timedOut) return timeoutMs === undefined ? 'timed out' : `timed out after ${timeoutMs} ms`;
  if (result.aborted) return 'aborted';
  if (result.exitCode !== null) return `exit ${result.exitCode}`;
  return `killed by ${result.signal ?? 'a signal'}`;
}

/** A transcript of commands for a journal: each command line, how it ended, and its output. */
export function transcriptOf(results: readonly CommandResult[]): string {
  return results
    .map((result) => {
      const output = result.output.trimEnd();
      return `$ ${result.commandLine}  [${endingOf(result)}]${output === '' ? '' : `\n${output}`}`;
    })
    .join('\n');
}
