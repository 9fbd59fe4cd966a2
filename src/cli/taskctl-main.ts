/**
 * The taskctl executable: runs the program on this process's arguments and streams. Ctrl-C aborts
 * what is in flight (a watch ends normally); a second Ctrl-C exits at once.
 */
import { ExitCodes } from './taskctl/exit-codes.ts';
import { runTaskctl } from './taskctl/program.ts';

const interrupt = new AbortController();
process.once('SIGINT', () => {
  interrupt.abort();
  process.once('SIGINT', () => process.exit(ExitCodes.interrupted));
});

process.exitCode = await runTaskctl({
  argv: process.argv.slice(2),
  stdout: process.stdout,
  stderr: process.stderr,
  signal: interrupt.signal,
});
