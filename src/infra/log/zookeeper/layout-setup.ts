/**
 * Creating the log's znodes on open, and the ACL they get. With credentials, the digest ACL grants
 * those credentials everything and nobody else anything: ZooKeeper then refuses every other client
 * (and an unauthenticated one) any read of the payloads, any listing, any write. It applies to every
 * znode the log creates, the root's missing ancestors included: a shared `/taskd` made by one cluster
 * with credentials is closed to another cluster with other credentials (create it beforehand, open).
 */
import { ErrorCodes, hasCode } from '../../../errors.ts';
import { type Acl, digestAcl, OPEN_ACL, type ZooKeeperSession } from '../../zookeeper/index.ts';
import type { LogLayout } from './znode-names.ts';

/** The ACL of everything the log creates. */
export function aclFor(
  auth: { readonly user: string; readonly password: string } | undefined,
): readonly Acl[] {
  return auth === undefined ? OPEN_ACL : [digestAcl(auth.user, auth.password)];
}

/** Creates whatever of the layout is missing (several nodes may open the log at once). */
export async function ensureLayout(
  session: ZooKeeperSession,
  layout: LogLayout,
  acl: readonly Acl[],
): Promise<void> {
  for (const path of [layout.events, layout.streams, layout.snapshots]) await session.mkdirp(path, { acl });
  try {
    await session.create(layout.snapshotPointer, { acl });
  } catch (error) {
    if (!hasCode(error, ErrorCodes.ZK_NODE_EXISTS)) throw error;
  }
}
