/**
 * The daemon's logger: pino, JSON lines by default (for journald and log shippers), pretty when
 * stdout is a terminal; secrets redacted; a child per component.
 */
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

/** Paths pino blanks wherever they appear in a log object. */
export const REDACTED_PATHS = [
  'token',
  'password',
  '*.token',
  '*.password',
  'config.api.token',
  'config.zookeeper.auth.password',
  'req.headers.authorization',
  'headers.authorization',
];

export interface LoggerOptions {
  readonly level: string;
  readonly node: string;
  /** Pretty output; default: when stdout is a TTY. */
  readonly pretty?: boolean;
  readonly destination?: NodeJS.WritableStream;
}

/** The root logger of one node. */
export function createLogger(options: LoggerOptions): Logger {
  const usePretty = options.pretty ?? process.stdout.isTTY === true;
  const base = {
    level: options.level,
    base: { node: options.node },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  if (usePretty)
    return pino(base, pretty({ colorize: true, destination: options.destination ?? 1, sync: true }));
  return pino(base, options.destination ?? pino.destination({ dest: 1, sync: true }));
}
