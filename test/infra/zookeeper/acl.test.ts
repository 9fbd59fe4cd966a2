import zookeeper from 'node-zookeeper-client';
import { describe, expect, it } from 'vitest';
import { toLibraryAcls } from '../../../src/infra/zookeeper/acl.ts';
import { digestAcl, digestId, OPEN_ACL } from '../../../src/infra/zookeeper/index.ts';

/** The permission bits of a library ACL (its typings say `perms`; the object holds `permission`). */
const bits = (acl: zookeeper.ACL | undefined) => (acl as unknown as { permission: number }).permission;

describe('digest ACLs', () => {
  it("computes the id ZooKeeper's DigestAuthenticationProvider computes", () => {
    // java -cp zookeeper.jar org.apache.zookeeper.server.auth.DigestAuthenticationProvider taskd:s3cret
    expect(digestId('taskd', 's3cret')).toBe('taskd:JVMKpuDcKMAygmkQmf9K1AZjhzk=');
  });

  it('grants every permission unless told otherwise', () => {
    const [all] = toLibraryAcls([digestAcl('u', 'p')]);
    expect(bits(all)).toBe(zookeeper.Permission.ALL);
    expect(all?.id).toMatchObject({ scheme: 'digest', id: digestId('u', 'p') });
    const [readOnly] = toLibraryAcls([digestAcl('u', 'p', ['read'])]);
    expect(bits(readOnly)).toBe(zookeeper.Permission.READ);
  });

  it('keeps the open ACL as world:anyone with all permissions', () => {
    const [open] = toLibraryAcls(OPEN_ACL);
    expect(bits(open)).toBe(zookeeper.Permission.ALL);
    expect(open?.id).toMatchObject({ scheme: 'world', id: 'anyone' });
  });
});
