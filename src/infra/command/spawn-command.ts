/**
 * The real command runner: spawns argv (never a shell) in a process group of its own, with the C
 * locale so that error messages read the same everywhere, and kills the whole group on timeout or
 * abort, so a check script's grandchildren do not outlive it.
 */
import { spawn } from 'node:child_process';
import { OutputTail } from './output-tail.ts';
import { type CommandOptions, type CommandResult, commandLineOf, inNetns } from './run-command.ts';

const DEFAULT_OUTPUT_LIMIT = 16 * 1024;

/** Runs `argv` and resolves with how it ended; it never rejects. */
export function spawnCommand(argv: readonly string[], options: CommandOptions): Promise<CommandResult> {
  const full = inNetns(argv, options.netns);
  const base = { argv: full, commandLine: commandLineOf(full) };
  const [command, ...args] = full;
  if (command === undefined) {
    return Promise.resolve({ ...base, ...NOT_RUN, spawnError: 'empty argv' });
  }
  if (options.signal?.aborted) return Promise.resolve({ ...base, ...NOT_RUN, aborted: true });
  return new Promise((resolve) => {
    const output = new OutputTail(options.outputLimitBytes ?? DEFAULT_OUTPUT_LIMIT);
    const child = spawn(command, args, {
      shell: false,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    });
    let timedOut = false;
    let aborted = false;
    let spawnError: string | null = null;
    let exit: { code: number | null; signal: string | null } | undefined;
    let settled = false;

    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const settle = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      // A grandchild that left the group may still hold the pipes: stop reading them.
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({
        ...base,
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        output: output.text(),
        timedOut,
        aborted,
        spawnError,
      });
    };
    const stop = (why: 'timeout' | 'abort') => {
      if (why === 'timeout') timedOut = true;
      else aborted = true;
      killGroup();
      if (exit !== undefined) settle();
    };
    const onAbort = () => stop('abort');
    const timer = setTimeout(() => stop('timeout'), options.timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.once('error', (error: NodeJS.ErrnoException) => {
      spawnError = `${error.code ?? 'error'}: ${error.message}`;
      settle();
    });
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      if (timedOut || aborted) settle();
    });
    child.once('close', (code, signal) => {
      exit ??= { code, signal };
      settle();
    });
  });
}

const NOT_RUN = {
  exitCode: null,
  signal: null,
  output: '',
  timedOut: false,
  aborted: false,
  spawnError: null,
} as const;
