/**
 * The taskctl program, built per run from explicit I/O so tests run it in-process:
 * `runTaskctl({ argv, stdout, stderr, fetch?, env?, signal? })` resolves to the exit code.
 *
 * Global options: --endpoint (default $TASKD_ENDPOINT or http://127.0.0.1:7070), --token (default
 * $TASKD_API_TOKEN; read at run time, so it never shows in --help), --json (JSON for scripts).
 * Exit codes: see exit-codes.ts. Errors are one line on stderr: "taskctl: <what went wrong>".
 */
import { Command, CommanderError } from 'commander';
import { createApiClient } from './client.ts';
import type { CommandContext, Output } from './context.ts';
import { ExitCodes, exitCodeOf } from './exit-codes.ts';
import { registerNodeCommands } from './node-commands.ts';
import { registerTaskCommands } from './task-commands.ts';
import { registerWatchCommand } from './watch.ts';

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:7070';

export interface TaskctlIo {
  /** The arguments after the program name. */
  readonly argv: readonly string[];
  readonly stdout: Output;
  readonly stderr: Output;
  /** Default: Node's global fetch. */
  readonly fetch?: typeof fetch;
  /** Default: process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Aborted on Ctrl-C: ends a watch, interrupts a request. */
  readonly signal?: AbortSignal;
}

/** The commander program, writing to `io` and never calling process.exit. */
export function buildTaskctl(io: TaskctlIo): Command {
  const env = io.env ?? process.env;
  const program = new Command('taskctl')
    .description('Submit, inspect and cancel taskd tasks; show and drain cluster nodes.')
    .option('--endpoint <url>', `taskd API address (default: $TASKD_ENDPOINT or ${DEFAULT_ENDPOINT})`)
    .option('--token <token>', 'API token for changes (default: $TASKD_API_TOKEN)')
    .option('--json', 'print JSON for scripts instead of tables')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  const context = (): CommandContext => {
    const options = program.opts<{ endpoint?: string; token?: string; json?: boolean }>();
    const token = options.token ?? env.TASKD_API_TOKEN;
    const client = createApiClient({
      endpoint: options.endpoint ?? env.TASKD_ENDPOINT ?? DEFAULT_ENDPOINT,
      fetch: io.fetch ?? fetch,
      ...(token !== undefined && token !== '' && { token }),
      ...(io.signal !== undefined && { signal: io.signal }),
    });
    return {
      client,
      json: options.json === true,
      stdout: io.stdout,
      ...(io.signal && { signal: io.signal }),
    };
  };
  registerTaskCommands(program, context);
  registerNodeCommands(program, context);
  registerWatchCommand(program, context);
  return program;
}

/** Runs taskctl once and resolves to its exit code. */
export async function runTaskctl(io: TaskctlIo): Promise<number> {
  try {
    await buildTaskctl(io).parseAsync([...io.argv], { from: 'user' });
    return ExitCodes.ok;
  } catch (error) {
    // Commander has already printed its own message (or the help).
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCodes.ok : ExitCodes.usage;
    const code = exitCodeOf(error);
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`taskctl: ${code === ExitCodes.internal ? `unexpected error: ${message}` : message}\n`);
    return code;
  }
}
