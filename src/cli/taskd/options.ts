/**
 * The flags every setting has (one table: src/infra/config/settings.ts), added to a commander command.
 */
import type { Command } from 'commander';
import { settings } from '../../infra/config/settings.ts';

/** Adds `--config` and one flag per setting. */
export function addSettingFlags(command: Command): Command {
  command.option('-c, --config <file>', 'YAML configuration file');
  for (const s of settings) {
    const flag = s.kind === 'boolean' ? `--${s.flag}` : `--${s.flag} <value>`;
    command.option(flag, `${s.description} (env ${s.env})`);
  }
  return command;
}

/** Commander's camelCased option values back under their flag names, as the config loader reads them. */
export function flagValues(options: Record<string, unknown>): Record<string, string | boolean | undefined> {
  const out: Record<string, string | boolean | undefined> = {};
  for (const s of settings) {
    const key = s.flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const value = options[key];
    if (typeof value === 'string' || typeof value === 'boolean') out[s.flag] = value;
  }
  return out;
}
