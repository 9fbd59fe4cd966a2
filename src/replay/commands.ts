/**
 * The `replay` and `bundle` subcommands, for `taskd` to mount (`program.addCommand(...)`). Each
 * reports its exit code through `setExitCode`; commander's own usage errors are thrown as
 * CommanderError (exitOverride), as the parent program expects.
 */
import { Command } from 'commander';
import { runBundle } from './bundle/write-bundle.ts';
import type { DetectorSettings } from './detectors/detector.ts';
import { isReplayInputError, ReplayInputError } from './replay-input-error.ts';
import type { ReplayFormat, ReplayIo } from './replay-options.ts';
import { ReplayExit, runReplay } from './run-replay.ts';
import { parseDuration } from './time/durations.ts';

type SetExitCode = (code: number) => void;

const processIo = (): ReplayIo => ({ stdout: process.stdout, stderr: process.stderr, env: process.env });
const setProcessExitCode: SetExitCode = (code) => {
  process.exitCode = code;
};

interface ReplayFlags {
  log?: string;
  format?: string;
  output?: string;
  node?: string[];
  task?: string[];
  kind?: string[];
  since?: string;
  until?: string;
  at?: string;
  limit?: string;
  timeline: boolean;
  failOnAnomaly?: boolean;
  overlapTolerance?: string;
  storm?: string;
  stallWindow?: string;
  strandedGrace?: string;
  lostGrace?: string;
}

/** `taskd replay [inputs...]`. */
export function replayCommand(
  io: ReplayIo = processIo(),
  setExitCode: SetExitCode = setProcessExitCode,
): Command {
  return new Command('replay')
    .description(
      'replay node journals, bundles and the task log: a merged timeline, the state at any moment, and the anomalies found',
    )
    .argument('[inputs...]', 'journal files, data directories (folders of journals), bundles (.tar.gz)')
    .option(
      '--log <spec>',
      'the task log: a file, zk://host:port,host:port/<cluster>, or esdb://…[?cluster=<name>]',
    )
    .option('-f, --format <format>', 'text | json | html', 'text')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--node <ids...>', 'only these nodes (repeat or comma-separate)')
    .option('--task <ids...>', 'only these tasks')
    .option(
      '--kind <kinds...>',
      'only these categories (session, leadership, vip, teardown, …) or event types',
    )
    .option(
      '--since <time>',
      'from this time: ISO 8601, ms since the epoch, "-10m", "10m ago", "start+90s", "end-5m"',
    )
    .option('--until <time>', 'up to this time (same forms as --since)')
    .option('--at <time>', 'also show the cluster state at this time')
    .option('--limit <n>', 'print at most n timeline entries (everything is still checked)')
    .option('--no-timeline', 'print no timeline, only summary, anomalies and state')
    .option('--fail-on-anomaly', 'exit 1 when an anomaly is found')
    .option(
      '--overlap-tolerance <duration>',
      'two leaders / two VIP holders for less than this is ignored',
      '1s',
    )
    .option('--storm <count/window>', 'a restart storm: count restarts within window', '3/60s')
    .option(
      '--stall-window <duration>',
      'a session loss this soon after an event-loop stall is reported with it',
      '10s',
    )
    .option('--stranded-grace <duration>', 'a task on a node gone this long is stranded', '30s')
    .option(
      '--lost-grace <duration>',
      'a task unfinished this long after submission at the end of the log is lost',
      '60s',
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .action(async (inputs: string[], flags: ReplayFlags) => {
      let detectors: DetectorSettings;
      try {
        detectors = detectorFlags(flags);
      } catch (error) {
        if (!isReplayInputError(error)) throw error;
        io.stderr.write(`taskd replay: ${error.message}\n`);
        setExitCode(ReplayExit.USAGE);
        return;
      }
      const limit = flags.limit === undefined ? undefined : Number(flags.limit);
      setExitCode(
        await runReplay(
          {
            inputs,
            format: flags.format as ReplayFormat,
            timeline: flags.timeline,
            detectors,
            ...optional('log', flags.log),
            ...optional('output', flags.output),
            ...optional('nodes', flags.node),
            ...optional('tasks', flags.task),
            ...optional('kinds', flags.kind),
            ...optional('since', flags.since),
            ...optional('until', flags.until),
            ...optional('at', flags.at),
            ...optional('limit', limit),
            ...optional('failOnAnomaly', flags.failOnAnomaly),
          },
          io,
        ),
      );
    });
}

/** `taskd bundle <dataDir> -o file.tar.gz`. */
export function bundleCommand(
  io: ReplayIo = processIo(),
  setExitCode: SetExitCode = setProcessExitCode,
): Command {
  return new Command('bundle')
    .description(
      "pack a node's journals, its config (secrets redacted) and the taskd version for a post-mortem",
    )
    .argument('<dataDir>', 'the node data directory (holds journal-<node>.jsonl)')
    .option('-o, --output <file>', 'the archive to write', 'taskd-bundle.tar.gz')
    .option('--config <file>', 'the config file (default: taskd.yaml, config.yaml… in the data directory)')
    .option('--task-log <file>', 'also ship this file task log')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .action(async (dataDir: string, flags: { output: string; config?: string; taskLog?: string }) => {
      try {
        const { file, manifest } = await runBundle(dataDir, flags.output, {
          ...optional('config', flags.config),
          ...optional('taskLog', flags.taskLog),
        });
        const config = manifest.config === null ? 'no config' : 'config with secrets redacted';
        io.stdout.write(
          `wrote ${file}: ${manifest.journals.length} journal files, ${config}, taskd ${manifest.taskdVersion}\n`,
        );
        for (const note of manifest.notes) io.stdout.write(`note: ${note}\n`);
        setExitCode(ReplayExit.OK);
      } catch (error) {
        if (!isReplayInputError(error)) throw error;
        io.stderr.write(`taskd bundle: ${error.message}\n`);
        setExitCode(ReplayExit.USAGE);
      }
    });
}

function detectorFlags(flags: ReplayFlags): DetectorSettings {
  const [count, window] = (flags.storm ?? '3/60s').split('/');
  return {
    overlapToleranceMs: duration('--overlap-tolerance', flags.overlapTolerance ?? '1s'),
    stormCount: whole('--storm', count ?? ''),
    stormWindowMs: duration('--storm', window ?? ''),
    stallWindowMs: duration('--stall-window', flags.stallWindow ?? '10s'),
    strandedGraceMs: duration('--stranded-grace', flags.strandedGrace ?? '30s'),
    lostGraceMs: duration('--lost-grace', flags.lostGrace ?? '60s'),
  };
}

function duration(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined)
    throw new ReplayInputError(`${flag}: "${text}" is not a duration (e.g. 500ms, 10s, 1m30s)`);
  return ms;
}

function whole(flag: string, text: string): number {
  if (!/^\d+$/.test(text.trim()))
    throw new ReplayInputError(`${flag}: expected <count>/<window>, e.g. 3/60s`);
  return Number(text);
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
