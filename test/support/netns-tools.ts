/**
 * The network-namespace tests need root, `ip` (iproute2) and `arping` (iputils-arping). Without them
 * they fail, saying what is missing and how to install it: a skipped test would hide a VIP that no
 * longer works.
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const NETNS_INSTALL_COMMAND = 'apt-get install -y iproute2 iputils-arping';

/** Throws, naming what is missing and the install command, unless root with `ip` and `arping`. */
export function requireNetnsTools(env: NodeJS.ProcessEnv = process.env): void {
  const missing: string[] = [];
  if (process.getuid?.() !== 0)
    missing.push('root (network namespaces need CAP_SYS_ADMIN and CAP_NET_ADMIN)');
  if (findBinary('ip', env) === undefined) missing.push('`ip` (Debian package iproute2)');
  if (findBinary('arping', env) === undefined) missing.push('`arping` (Debian package iputils-arping)');
  if (missing.length === 0) return;
  throw new Error(
    `the network-namespace tests cannot run: missing ${missing.join(', ')}. ` +
      `Install as root with \`${NETNS_INSTALL_COMMAND}\` (or \`bash scripts/ensure-netns-tools\`) ` +
      'and run the tests as root.',
  );
}

/** Searches PATH only: the adapter spawns `ip` and `arping` through PATH, so that is what counts. */
function findBinary(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const dirs = (env.PATH ?? '').split(delimiter);
  return dirs
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, name))
    .find((path) => existsSync(path));
}
