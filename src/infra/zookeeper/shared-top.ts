/**
 * The top-level znode that several clusters share (`/taskd`) is created open: a cluster with
 * credentials must not close it to the next cluster with other credentials. Everything below a
 * cluster's own root gets that cluster's ACL.
 */
import { ErrorCodes, hasCode } from '../../errors.ts';
import { OPEN_ACL } from './acl.ts';
import type { ZooKeeperSession } from './types.ts';

/** Creates the first component of `path` with an open ACL when it is missing. */
export async function ensureSharedTop(session: ZooKeeperSession, path: string): Promise<void> {
  const top = path.split('/').find((part) => part !== '');
  if (top === undefined) return;
  try {
    await session.create(`/${top}`, { acl: OPEN_ACL });
  } catch (error) {
    if (!hasCode(error, ErrorCodes.ZK_NODE_EXISTS)) throw error;
  }
}
