/**
 * `npm run demo`: a local ZooKeeper ensemble, three taskd nodes, a mix of tasks, the leader killed
 * with SIGKILL and a new one taking over; then everything stopped and the journals kept.
 *
 *   tsx src/cli/demo.ts [--dir <folder>]    (default ./.taskd-demo; one sub-folder per run)
 */
import { Command } from 'commander';
import { runDemo } from './demo/run-demo.ts';

const program = new Command('demo')
  .description('run a 3-node taskd cluster on a local ZooKeeper ensemble, kill its leader, watch it recover')
  .option('--dir <folder>', 'where to keep the run (journals, logs, task log)', '.taskd-demo')
  .parse(process.argv);

const { dir } = program.opts<{ dir: string }>();
runDemo({ baseDir: dir, out: process.stdout }).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demo: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
