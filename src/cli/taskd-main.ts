/** The `taskd` executable: runs the command line and exits with its code. */
import { ExitCode } from './exit-codes.ts';
import { runTaskd } from './taskd.ts';

runTaskd({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`taskd: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(ExitCode.FATAL);
  },
);
