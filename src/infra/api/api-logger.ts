/**
 * The API's logger: a child of the daemon's with the credentials redacted. Whatever serializers the
 * daemon's logger uses (pino's standard request serializer logs every header), the Authorization
 * header and any `token` field come out as "[redacted]".
 *
 * A pino child's `redact` replaces its parent's: paths the parent redacted elsewhere are not kept
 * here, so every credential the API could log is listed below.
 */
import type { Logger } from 'pino';

export const REDACTED = '[redacted]';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'request.headers.authorization',
  'headers.authorization',
  'res.headers["set-cookie"]',
  'token',
  '*.token',
  'api.token',
  'config.api.token',
];

/** A child logger for the API component that never writes a credential. */
export function apiLogger(logger: Logger): Logger {
  return logger.child({ component: 'api' }, { redact: { paths: REDACTED_PATHS, censor: REDACTED } });
}
