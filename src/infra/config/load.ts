/**
 * Loads a node's configuration: defaults < YAML file < TASKD_* environment < flags, validated once.
 */
import { ErrorCodes, TaskdError } from '../../errors.ts';
import { type Config, configSchema } from './schema.ts';
import { type Origins, readConfigFile, readEnvironment, readFlags, type Tree } from './sources.ts';

export interface ConfigSources {
  readonly file?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly flags?: Readonly<Record<string, string | boolean | undefined>>;
}

/** Deep merge of plain objects; arrays and scalars of `over` replace those of `base`. */
function merge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    const bothObjects =
      typeof prev === 'object' &&
      prev !== null &&
      !Array.isArray(prev) &&
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value);
    out[key] = bothObjects ? merge(prev as Tree, value as Tree) : value;
  }
  return out;
}

/** Validates a merged tree; every problem is listed with its key and where the value came from. */
export function validateConfig(tree: Tree, origins: Origins = new Map(), fileName?: string): Config {
  const result = configSchema.safeParse(tree);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = issue.path.join('.');
    const extra =
      issue.code === 'unrecognized_keys'
        ? ` (${issue.keys.map((k) => (key ? `${key}.${k}` : k)).join(', ')})`
        : '';
    const origin = origins.get(key) ?? (fileName ? fileName : 'defaults');
    return `${key || '(top level)'}${extra}: ${issue.message} [from ${origin}]`;
  });
  throw new TaskdError(ErrorCodes.CONFIG_INVALID, `invalid configuration:\n  ${problems.join('\n  ')}`, {
    problems,
  });
}

/** Reads, merges and validates every source; throws CONFIG_INVALID naming each key at fault. */
export function loadConfig(sources: ConfigSources): Config {
  const origins: Origins = new Map();
  const fromFile = sources.file ? readConfigFile(sources.file) : {};
  const fromEnv = readEnvironment(sources.env ?? {}, origins);
  const fromFlags = readFlags(sources.flags ?? {}, origins);
  return validateConfig(merge(merge(fromFile, fromEnv), fromFlags), origins, sources.file);
}
