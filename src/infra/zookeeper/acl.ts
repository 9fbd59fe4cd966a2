/**
 * ACLs as plain data, and the digest scheme's id: `user:base64(sha1("user:password"))`, which is what
 * ZooKeeper's DigestAuthenticationProvider computes from `addAuthInfo('digest', 'user:password')`.
 */
import { createHash } from 'node:crypto';
import zookeeper from 'node-zookeeper-client';

export type Permission = 'read' | 'write' | 'create' | 'delete' | 'admin';

export interface Acl {
  readonly scheme: 'world' | 'digest' | 'ip' | 'auth';
  readonly id: string;
  readonly perms: readonly Permission[];
}

export const ALL_PERMISSIONS: readonly Permission[] = ['read', 'write', 'create', 'delete', 'admin'];

/** world:anyone with every permission (ZooKeeper's OPEN_ACL_UNSAFE). */
export const OPEN_ACL: readonly Acl[] = [{ scheme: 'world', id: 'anyone', perms: ALL_PERMISSIONS }];

/** The id the digest scheme stores for these credentials. */
export function digestId(user: string, password: string): string {
  const hash = createHash('sha1').update(`${user}:${password}`).digest('base64');
  return `${user}:${hash}`;
}

/** An ACL entry granting `perms` (default all) to whoever authenticates as user:password. */
export function digestAcl(
  user: string,
  password: string,
  perms: readonly Permission[] = ALL_PERMISSIONS,
): Acl {
  return { scheme: 'digest', id: digestId(user, password), perms };
}

const PERMISSION_BITS: Readonly<Record<Permission, number>> = {
  read: zookeeper.Permission.READ,
  write: zookeeper.Permission.WRITE,
  create: zookeeper.Permission.CREATE,
  delete: zookeeper.Permission.DELETE,
  admin: zookeeper.Permission.ADMIN,
};

/** The library's ACL objects for these entries. */
export function toLibraryAcls(acls: readonly Acl[]): zookeeper.ACL[] {
  return acls.map((acl) => {
    const bits = acl.perms.reduce((mask, perm) => mask | PERMISSION_BITS[perm], 0);
    return new zookeeper.ACL(bits, new zookeeper.Id(acl.scheme, acl.id));
  });
}
