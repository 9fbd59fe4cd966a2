/**
 * Creating the log's znodes on open, and the ACL they get. With credentials, the digest ACL grants
 * those credentials everything and nobody else anything: ZooKeeper then refuses every other client
 * (and an unauthenticated one) any read of the payloads, any listing, any write. It applies to every
 * znode the log creates below the shared top-level znode (`/taskd`), which is created open so that
 * clusters with different credentials can live side by side.
 */
import { ErrorCodes, hasCode } from '../../../errors.ts';
import {
  type Acl,
  digestAcl,
  ensureSharedTop,
  OPEN_ACL,
  type ZooKeeperSession,
} from '../../zookeeper/index.ts';
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
  await ensureSharedTop(session, layout.root);
  for (const path of [layout.events, layout.streams, layout.snapshots]) await session.mkdirp(path, { acl });
  for (const path of [layout.snapshotPointer, layout.tip]) {
    try {
      await session.create(path, { acl });
    } catch (error) {
      if (!hasCode(error, ErrorCodes.ZK_NODE_EXISTS)) throw error;
    }
  }
}
