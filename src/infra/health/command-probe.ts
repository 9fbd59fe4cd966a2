/**
 * An operator's check command as a health probe: exit 0 is healthy; a non-zero exit, a kill, a
 * timeout or a command that cannot start is not. Its output is kept (bounded) in the detail. The
 * running check is killed when the stream is unsubscribed.
 */
import { asyncScheduler, exhaustMap, Observable, type SchedulerLike, timer } from 'rxjs';
import { ErrorCodes, TaskdError } from '../../errors.ts';
import { type CommandResult, endingOf, type RunCommand, spawnCommand, succeeded } from '../command/index.ts';
import type { HealthCheck } from './health-check.ts';

export interface CommandProbeOptions {
  readonly argv: readonly string[];
  readonly timeoutMs: number;
  readonly intervalMs: number;
  /** The probe's name in HealthChecked; default `command`. */
  readonly probe?: string;
  /** Output kept in the detail (its end). Default 2 KiB: it goes into every journal line. */
  readonly outputLimitBytes?: number;
}

export interface CommandProbeDeps {
  readonly scheduler?: SchedulerLike;
  /** Default: the real runner (spawns). */
  readonly runCommand?: RunCommand;
}

/** Runs the check once per interval (the first at once, never two at a time) and emits its result. */
export function commandProbe$(
  options: CommandProbeOptions,
  deps: CommandProbeDeps = {},
): Observable<HealthCheck> {
  if (options.argv.length === 0) {
    throw new TaskdError(ErrorCodes.CONFIG_INVALID, 'the health check command needs at least argv[0]');
  }
  const scheduler = deps.scheduler ?? asyncScheduler;
  const run = deps.runCommand ?? spawnCommand;
  const probe = options.probe ?? 'command';
  const outputLimitBytes = options.outputLimitBytes ?? 2_048;
  const once$ = new Observable<HealthCheck>((subscriber) => {
    const abort = new AbortController();
    run(options.argv, { timeoutMs: options.timeoutMs, signal: abort.signal, outputLimitBytes }).then(
      (result) => {
        subscriber.next({ probe, ok: succeeded(result), detail: detailOf(result, options.timeoutMs) });
        subscriber.complete();
      },
      // A runner that rejects (it should not) is a failed check, not a dead health stream.
      (error: unknown) => {
        subscriber.next({ probe, ok: false, detail: `the check could not run: ${String(error)}` });
        subscriber.complete();
      },
    );
    return () => abort.abort();
  });
  return timer(0, options.intervalMs, scheduler).pipe(exhaustMap(() => once$));
}

function detailOf(result: CommandResult, timeoutMs: number): string {
  const output = result.output.trim();
  return `${result.commandLine}: ${endingOf(result, timeoutMs)}${output === '' ? '' : `: ${output}`}`;
}
