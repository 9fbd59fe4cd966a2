/**
 * A fake command runner for unit tests: each argv is answered by the first rule whose pattern its
 * command line matches; every call is recorded. Only for the classification table and the adapter's
 * logic: the integration tests run the real `ip` in namespaces.
 */
import type { CommandOptions, CommandResult, RunCommand } from '../../../src/infra/command/index.ts';
import { commandLineOf } from '../../../src/infra/command/index.ts';

export interface Rule {
  readonly match: RegExp;
  readonly answer: Partial<Omit<CommandResult, 'argv' | 'commandLine'>>;
}

export interface ScriptedRunner {
  readonly run: RunCommand;
  readonly calls: { readonly commandLine: string; readonly options: CommandOptions }[];
}

/** A runner answering from `rules`; an argv no rule matches exits 0 with no output. */
export function scriptedRunner(rules: readonly Rule[]): ScriptedRunner {
  const calls: ScriptedRunner['calls'] = [];
  const run: RunCommand = async (argv, options) => {
    const commandLine = commandLineOf(argv);
    calls.push({ commandLine, options });
    const rule = rules.find(({ match }) => match.test(commandLine));
    return { ...ran(commandLine, 0, ''), argv, ...rule?.answer };
  };
  return { run, calls };
}

/** A result of a command that exited `exitCode` having said `output`. */
export function ran(commandLine: string, exitCode: number | null, output: string): CommandResult {
  return {
    argv: commandLine.split(' '),
    commandLine,
    exitCode,
    signal: null,
    output,
    timedOut: false,
    aborted: false,
    spawnError: null,
  };
}

/** `ip -j addr show dev eth0` output for a link with `flags` and `ADDR/PREFIX` addresses. */
export function ipAddrShowJson(flags: readonly string[], addresses: readonly string[]): string {
  const addr_info = addresses.map((cidr) => {
    const [local, prefix] = cidr.split('/');
    return {
      family: local?.includes(':') ? 'inet6' : 'inet',
      local,
      prefixlen: Number(prefix),
      scope: 'global',
    };
  });
  return JSON.stringify([{ ifindex: 2, ifname: 'eth0', flags, operstate: 'UP', addr_info }]);
}

export const UP = ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'];
