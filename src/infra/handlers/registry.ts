/**
 * The handlers one node can run: the built-ins, `exec` when allowed, and modules named in the config.
 * Modules load only from the configured paths, and each must export `default { type, run }`.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ErrorCodes, TaskdError } from '../../errors.ts';
import { failHandler, noopHandler, sleepHandler } from './builtin.ts';
import { execHandler } from './exec.ts';
import type { TaskHandler } from './handler.ts';

export interface HandlerConfig {
  readonly execAllow: readonly string[];
  readonly execOutputLimitBytes: number;
  readonly handlerModules: readonly string[];
}

export type HandlerRegistry = ReadonlyMap<string, TaskHandler>;

function isHandler(value: unknown): value is TaskHandler {
  const v = value as { type?: unknown; run?: unknown } | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.type === 'string' &&
    v.type !== '' &&
    typeof v.run === 'function'
  );
}

/** Loads every handler; a module that is missing or has the wrong shape is a CONFIG_INVALID error. */
export async function loadHandlers(config: HandlerConfig): Promise<HandlerRegistry> {
  const handlers = new Map<string, TaskHandler>();
  for (const h of [noopHandler, sleepHandler, failHandler]) handlers.set(h.type, h);
  if (config.execAllow.length > 0) {
    handlers.set(
      'exec',
      execHandler({ allow: config.execAllow, outputLimitBytes: config.execOutputLimitBytes }),
    );
  }
  for (const path of config.handlerModules) {
    let loaded: { default?: unknown };
    try {
      loaded = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown };
    } catch (error) {
      throw new TaskdError(
        ErrorCodes.CONFIG_INVALID,
        `runner.handlerModules: cannot load ${path}: ${(error as Error).message}`,
      );
    }
    if (!isHandler(loaded.default)) {
      throw new TaskdError(
        ErrorCodes.CONFIG_INVALID,
        `runner.handlerModules: ${path} must export default { type, run }`,
      );
    }
    if (handlers.has(loaded.default.type)) {
      throw new TaskdError(
        ErrorCodes.CONFIG_INVALID,
        `runner.handlerModules: ${path} redefines handler "${loaded.default.type}"`,
      );
    }
    handlers.set(loaded.default.type, loaded.default);
  }
  return handlers;
}
