/**
 * Secrets out of a configuration before it leaves the machine in a bundle: every value under a key
 * named like a secret (api.token, zookeeper.auth.password, anything ending in token, password,
 * passwd or secret, whatever its case or separators) becomes "[redacted]", and so does the password
 * of any URL with credentials (an esdb:// connection string, for one).
 */

export const REDACTED = '[redacted]';

const SECRET_KEY = /(token|password|passwd|secret)$/;
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/[^/:@\s]*):[^/@\s]*@/gi;

/** Is `key` the name of a secret? */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

/** A copy of `value` with secrets replaced; the input is not changed. */
export function redactSecrets(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(URL_CREDENTIALS, `$1:${REDACTED}@`);
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).map(([key, item]) => [
      key,
      isSecretKey(key) && item !== null && item !== undefined ? REDACTED : redactSecrets(item),
    ]);
    return Object.fromEntries(entries);
  }
  return value;
}
