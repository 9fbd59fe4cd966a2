export {
  type CommandOptions,
  type CommandResult,
  commandLineOf,
  endingOf,
  type RunCommand,
  succeeded,
  transcriptOf,
} from './run-command.ts';
export { spawnCommand } from './spawn-command.ts';
