/**
 * `taskd`: the daemon (`start`), configuration checks (`config check`), and post-mortem tools.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { hasCode } from '../errors.ts';
import { loadConfig } from '../infra/config/load.ts';
import { bundleCommand, replayCommand } from '../replay/commands.ts';
import { ExitCode } from './exit-codes.ts';
import { addSettingFlags, flagValues } from './taskd/options.ts';
import { runNode } from './taskd/start.ts';

export interface TaskdIo {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** The version in package.json. */
export function taskdVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Runs the taskd command line; resolves with the exit code (the caller exits). */
export async function runTaskd(io: TaskdIo): Promise<number> {
  let code: number = ExitCode.OK;
  const program = new Command('taskd')
    .description(
      'taskd: a distributed task center (ZooKeeper coordination, leader dispatch, event-sourced logs)',
    )
    .version(taskdVersion())
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  addSettingFlags(
    program
      .command('start')
      .description('run this node until SIGTERM/SIGINT (exit codes: see the README)')
      .action(async (options: Record<string, unknown>) => {
        const config = loadOrReport(options, io);
        code =
          config === undefined
            ? ExitCode.CONFIG
            : await runNode(config, { version: taskdVersion(), stderr: io.stderr });
      }),
  );

  const configCommand = program.command('config').description('configuration tools');
  configCommand
    .command('check')
    .argument('<file>', 'YAML configuration file')
    .description('validate a configuration (with TASKD_* variables applied) without starting anything')
    .action((file: string) => {
      const config = loadOrReport({ config: file }, io);
      if (config === undefined) code = ExitCode.CONFIG;
      else
        io.stdout.write(
          `${file}: valid (node ${config.nodeId}, cluster ${config.cluster}, log ${config.taskLog.backend})\n`,
        );
    });

  const replayIo = { stdout: io.stdout, stderr: io.stderr, env: io.env };
  program.addCommand(replayCommand(replayIo, (c) => (code = c)));
  program.addCommand(bundleCommand(replayIo, (c) => (code = c)));

  try {
    await program.parseAsync([...io.argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.OK : ExitCode.CONFIG;
    throw error;
  }
  return code;
}

function loadOrReport(options: Record<string, unknown>, io: TaskdIo) {
  try {
    const file = typeof options.config === 'string' ? options.config : undefined;
    return loadConfig({ ...(file ? { file } : {}), env: io.env, flags: flagValues(options) });
  } catch (error) {
    if (!hasCode(error, 'CONFIG_INVALID')) throw error;
    io.stderr.write(`taskd: ${(error as Error).message}\n`);
    return undefined;
  }
}
