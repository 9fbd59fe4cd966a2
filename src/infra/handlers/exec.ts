/**
 * The `exec` handler: runs an allowed command as argv, never through a shell, with its output captured
 * up to a limit. On abort the child gets SIGTERM, then SIGKILL after a grace period.
 */
import { spawn } from 'node:child_process';
import { z } from 'zod';
import { TaskFailure, type TaskHandler } from './handler.ts';

export const execPayloadSchema = z
  .object({
    argv: z.array(z.string().max(4096)).min(1, 'argv needs at least the command').max(256),
    cwd: z.string().max(4096).optional(),
    env: z.record(z.string(), z.string()).optional(),
  })
  .strict();

export type ExecPayload = z.infer<typeof execPayloadSchema>;

export interface ExecOptions {
  readonly allow: readonly string[];
  readonly outputLimitBytes: number;
  readonly killGraceMs?: number;
}

/** Why an exec payload may not run, or undefined when it may (used at submission and again at run). */
export function execRefusal(payload: unknown, allow: readonly string[]): string | undefined {
  const parsed = execPayloadSchema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `payload.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`;
  }
  const command = parsed.data.argv[0] as string;
  if (allow.length === 0) return 'exec is disabled on this cluster (runner.execAllow is empty)';
  if (!allow.includes(command)) return `payload.argv.0: command "${command}" is not on the exec allow-list`;
  return undefined;
}

/** Keeps at most `limit` bytes of a stream, noting whether more came. */
function capture(limit: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  return {
    push(chunk: Buffer) {
      if (size >= limit) {
        truncated = true;
        return;
      }
      const take = chunk.subarray(0, limit - size);
      if (take.length < chunk.length) truncated = true;
      chunks.push(take);
      size += take.length;
    },
    text: () => Buffer.concat(chunks).toString('utf8'),
    get truncated() {
      return truncated;
    },
  };
}

/** Builds the exec handler for one node's allow-list and limits. */
export function execHandler({ allow, outputLimitBytes, killGraceMs = 2_000 }: ExecOptions): TaskHandler {
  return {
    type: 'exec',
    run: (payload, { signal }) =>
      new Promise((resolve, reject) => {
        const refusal = execRefusal(payload, allow);
        if (refusal) return reject(new TaskFailure(refusal, false));
        const { argv, cwd, env } = execPayloadSchema.parse(payload);
        const [command, ...args] = argv as [string, ...string[]];
        const stdout = capture(outputLimitBytes);
        const stderr = capture(outputLimitBytes);
        const child = spawn(command, args, {
          cwd,
          env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
          shell: false,
          stdio: ['ignore', 'pipe', 'pipe'],
          // Its own process group, so that an abort reaches everything the command started.
          detached: true,
        });
        const killGroup = (sig: NodeJS.Signals) => {
          try {
            if (child.pid !== undefined) process.kill(-child.pid, sig);
          } catch {
            // already gone
          }
        };
        let killTimer: NodeJS.Timeout | undefined;
        const onAbort = () => {
          killGroup('SIGTERM');
          killTimer = setTimeout(() => killGroup('SIGKILL'), killGraceMs);
          killTimer.unref();
        };
        signal.addEventListener('abort', onAbort, { once: true });
        if (signal.aborted) onAbort();
        child.stdout.on('data', (c: Buffer) => stdout.push(c));
        child.stderr.on('data', (c: Buffer) => stderr.push(c));
        const finish = () => {
          signal.removeEventListener('abort', onAbort);
          if (killTimer) clearTimeout(killTimer);
        };
        child.once('error', (error) => {
          finish();
          reject(new TaskFailure(`cannot run ${command}: ${error.message}`, false));
        });
        child.once('close', (exitCode, killedBy) => {
          finish();
          const output = {
            exitCode,
            signal: killedBy,
            stdout: stdout.text(),
            stderr: stderr.text(),
            truncated: stdout.truncated || stderr.truncated,
          };
          if (signal.aborted)
            return reject(new TaskFailure(`aborted: ${String(signal.reason ?? 'abort')}`, false, output));
          if (exitCode === 0) return resolve(output);
          reject(new TaskFailure(`${command} exited with ${exitCode ?? killedBy}`, true, output));
        });
      }),
  };
}
