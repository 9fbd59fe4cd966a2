/**
 * Reads each configuration source into a plain tree, remembering where every value came from so that
 * an error can name the flag, variable or file line at fault.
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { ErrorCodes, TaskdError } from '../../errors.ts';
import { type Setting, settings } from './settings.ts';

export type Tree = Record<string, unknown>;
/** Where each dotted path's value came from, e.g. `--capacity` or `TASKD_CAPACITY` or `taskd.yaml`. */
export type Origins = Map<string, string>;

/** Parses a YAML config file into a tree, or throws CONFIG_INVALID naming the file and line. */
export function readConfigFile(path: string): Tree {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TaskdError(
      ErrorCodes.CONFIG_INVALID,
      `cannot read config file ${path}: ${(error as Error).message}`,
      { path },
    );
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0];
    throw new TaskdError(
      ErrorCodes.CONFIG_INVALID,
      `${path}${line ? `:${line.line}:${line.col}` : ''}: ${first.message.split('\n')[0]}`,
      { path, line: line?.line },
    );
  }
  let value: unknown;
  try {
    // Aliases to missing anchors and alias bombs only fail here, when the document is resolved.
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new TaskdError(ErrorCodes.CONFIG_INVALID, `${path}: ${(error as Error).message.split('\n')[0]}`, {
      path,
    });
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new TaskdError(ErrorCodes.CONFIG_INVALID, `${path}: the top level must be a mapping of settings`, {
      path,
    });
  }
  return value as Tree;
}

/** Converts one raw string (flag or env) to the setting's kind, or throws naming the source. */
export function convert(setting: Setting, raw: string, source: string): unknown {
  const fail = (why: string): never => {
    throw new TaskdError(
      ErrorCodes.CONFIG_INVALID,
      `${setting.path} (from ${source}): ${why}, got "${raw}"`,
      {
        key: setting.path,
        source,
      },
    );
  };
  switch (setting.kind) {
    case 'string':
      return raw;
    case 'int':
      return /^-?\d+$/.test(raw.trim()) ? Number(raw) : fail('must be a whole number');
    case 'number':
      return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : fail('must be a number');
    case 'list':
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    case 'boolean':
      if (/^(1|true|yes|on)$/i.test(raw)) return true;
      if (/^(0|false|no|off)$/i.test(raw)) return false;
      return fail('must be true or false');
  }
}

/** Sets a dotted path in a tree, creating objects on the way. */
export function setPath(tree: Tree, path: string, value: unknown): void {
  const keys = path.split('.');
  let node: Tree = tree;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Tree;
  }
  node[keys[keys.length - 1] as string] = value;
}

/** The TASKD_* variables that name a setting, as a tree. Unknown TASKD_* variables are left alone. */
export function readEnvironment(env: NodeJS.ProcessEnv, origins: Origins): Tree {
  const tree: Tree = {};
  for (const s of settings) {
    const raw = env[s.env];
    if (raw === undefined || raw === '') continue;
    setPath(tree, s.path, convert(s, raw, s.env));
    origins.set(s.path, s.env);
  }
  return tree;
}

/** Flag values (already split by the CLI, keyed by flag name) as a tree. */
export function readFlags(
  flags: Readonly<Record<string, string | boolean | undefined>>,
  origins: Origins,
): Tree {
  const tree: Tree = {};
  for (const s of settings) {
    const raw = flags[s.flag];
    if (raw === undefined) continue;
    setPath(tree, s.path, convert(s, String(raw), `--${s.flag}`));
    origins.set(s.path, `--${s.flag}`);
  }
  return tree;
}
