import { lastValueFrom, toArray } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/errors.ts';
import { digestAcl } from '../../../src/infra/zookeeper/index.ts';
import { useZooKeeper } from '../../support/zookeeper.ts';
import { freshPath, reach, SESSION_TIMEOUT_MS, useSessions } from './session-support.ts';

const zk = useZooKeeper({ servers: 1, tickTimeMs: 100 });
const sessions = useSessions(() => zk().connectString);

beforeAll(async () => {
  const setup = await sessions.connected();
  await setup.mkdirp('/test');
  await setup.close();
});

describe('a session against a standalone ZooKeeper', () => {
  it('connects and reports the session id, the negotiated timeout and the server', async () => {
    const session = sessions.open();
    const connected = await reach(session, 'connected');
    expect(connected.sessionId).toMatch(/^[0-9a-f]{16}$/);
    expect(connected.sessionId).not.toBe('0000000000000000');
    expect(connected.negotiatedTimeoutMs).toBe(SESSION_TIMEOUT_MS);
    expect(connected.server).toBe(zk().connectString);
    expect(session.credentials().sessionId).toBe(connected.sessionId);
  });

  it('creates a znode and reads back its data and a decoded stat', async () => {
    const session = await sessions.connected();
    const path = freshPath('created');
    expect(await session.create(path, { data: 'hello' })).toBe(path);
    const read = await session.getData(path);
    expect(read?.data.toString()).toBe('hello');
    expect(read?.stat).toMatchObject({ version: 0, dataLength: 5, numChildren: 0, ephemeralOwner: null });
    expect(typeof read?.stat.czxid).toBe('bigint');
    expect(read?.stat.ctime).toBeGreaterThan(Date.UTC(2020, 0, 1));
  });

  it('creates ephemeral sequential znodes owned by the session, with the path the server chose', async () => {
    const session = await sessions.connected();
    const parent = freshPath('seq');
    await session.create(parent);
    const first = await session.create(`${parent}/member-`, { ephemeral: true, sequential: true });
    const second = await session.create(`${parent}/member-`, { ephemeral: true, sequential: true });
    expect(first).toMatch(new RegExp(`^${parent}/member-\\d{10}$`));
    expect(second > first).toBe(true);
    expect((await session.exists(first))?.ephemeralOwner).toBe(session.current().sessionId);
  });

  it('lists children sorted, with the parent stat', async () => {
    const session = await sessions.connected();
    const parent = freshPath('children');
    await session.create(parent);
    for (const name of ['c', 'a', 'b']) await session.create(`${parent}/${name}`);
    const listed = await session.getChildren(parent);
    expect(listed?.children).toEqual(['a', 'b', 'c']);
    expect(listed?.stat.numChildren).toBe(3);
  });

  it('reads an absent znode as null (the library types say a Stat is always there)', async () => {
    const session = await sessions.connected();
    const path = freshPath('absent');
    expect(await session.exists(path)).toBeNull();
    expect(await session.getData(path)).toBeNull();
    expect(await session.getChildren(path)).toBeNull();
  });

  it('reads a znode created without data as an empty buffer (the library hands undefined)', async () => {
    const session = await sessions.connected();
    const path = freshPath('empty');
    await session.create(path);
    const read = await session.getData(path);
    expect(Buffer.isBuffer(read?.data)).toBe(true);
    expect(read?.data.length).toBe(0);
  });

  it('sets data only at the expected version and removes only at the expected version', async () => {
    const session = await sessions.connected();
    const path = freshPath('versions');
    await session.create(path, { data: 'v0' });
    const stat = await session.setData(path, 'v1', 0);
    expect(stat.version).toBe(1);
    await expect(session.setData(path, 'stale', 0)).rejects.toMatchObject({
      code: ErrorCodes.ZK_BAD_VERSION,
      details: { op: 'setData', path },
    });
    await expect(session.remove(path, 0)).rejects.toMatchObject({ code: ErrorCodes.ZK_BAD_VERSION });
    await session.remove(path, 1);
    expect(await session.exists(path)).toBeNull();
  });

  it('translates the library exceptions into ZK_* codes with the operation and path', async () => {
    const session = await sessions.connected();
    const parent = freshPath('errors');
    await session.create(parent);
    await session.create(`${parent}/child`);
    await expect(session.create(parent)).rejects.toMatchObject({
      code: ErrorCodes.ZK_NODE_EXISTS,
      details: { op: 'create', path: parent },
    });
    await expect(session.remove(parent)).rejects.toMatchObject({ code: ErrorCodes.ZK_NOT_EMPTY });
    await expect(session.setData(`${parent}/none`, 'x')).rejects.toMatchObject({
      code: ErrorCodes.ZK_NO_NODE,
    });
    await expect(session.create('no-leading-slash')).rejects.toMatchObject({ code: ErrorCodes.VALIDATION });
    const noPermissions = { acl: [{ scheme: 'world', id: 'anyone', perms: [] }] } as const;
    await expect(session.create(`${parent}/x`, noPermissions)).rejects.toMatchObject({
      code: ErrorCodes.VALIDATION,
    });
  });

  it('creates every missing ancestor with mkdirp and tolerates existing ones', async () => {
    const session = await sessions.connected();
    const base = freshPath('mkdirp');
    await session.mkdirp(`${base}/a/b/c`);
    await session.mkdirp(`${base}/a/b/c`);
    expect(await session.exists(`${base}/a/b/c`)).not.toBeNull();
  });
});

describe('multi', () => {
  it('applies every operation atomically and returns typed results', async () => {
    const session = await sessions.connected();
    const base = freshPath('multi');
    await session.create(base, { data: 'x' });
    const results = await session.multi([
      { op: 'check', path: base, version: 0 },
      { op: 'create', path: `${base}/seq-`, sequential: true, data: 'a' },
      { op: 'setData', path: base, data: 'y', version: 0 },
      { op: 'create', path: `${base}/gone` },
      { op: 'remove', path: `${base}/gone` },
    ]);
    expect(results.map((r) => r.op)).toEqual(['check', 'create', 'setData', 'create', 'remove']);
    expect(results[1]).toMatchObject({ op: 'create', path: expect.stringMatching(/\/seq-\d{10}$/) });
    expect(results[2]).toMatchObject({ op: 'setData', stat: { version: 1 } });
  });

  it('applies nothing when one operation fails, and names the failing one', async () => {
    const session = await sessions.connected();
    const base = freshPath('multi-fail');
    await session.create(base);
    const failure = session.multi([
      { op: 'create', path: `${base}/first` },
      { op: 'create', path: base },
    ]);
    await expect(failure).rejects.toMatchObject({
      code: ErrorCodes.ZK_NODE_EXISTS,
      details: { op: 'multi', index: 1, failedOp: 'create', path: base },
    });
    expect(await session.exists(`${base}/first`)).toBeNull();
  });

  it('enforces a check at version 0 (the library turns version 0 into "any version")', async () => {
    const session = await sessions.connected();
    const path = freshPath('check-zero');
    await session.create(path);
    await session.setData(path, 'moved on');
    await expect(session.multi([{ op: 'check', path, version: 0 }])).rejects.toMatchObject({
      code: ErrorCodes.ZK_BAD_VERSION,
    });
    await expect(session.multi([{ op: 'setData', path, data: 'x', version: 0 }])).rejects.toMatchObject({
      code: ErrorCodes.ZK_BAD_VERSION,
    });
    await expect(session.multi([{ op: 'remove', path, version: 0 }])).rejects.toMatchObject({
      code: ErrorCodes.ZK_BAD_VERSION,
    });
  });
});

describe('digest authentication', () => {
  const credentials = { user: 'taskd', password: 's3cret' };

  it('lets only the authenticated session read a znode with a digest ACL', async () => {
    const owner = await sessions.connected({ auth: credentials });
    const path = freshPath('private');
    await owner.create(path, { data: 'secret', acl: [digestAcl(credentials.user, credentials.password)] });
    expect((await owner.getData(path))?.data.toString()).toBe('secret');

    const stranger = await sessions.connected();
    await expect(stranger.getData(path)).rejects.toMatchObject({
      code: ErrorCodes.ZK_NO_AUTH,
      details: { path },
    });
    const impostor = await sessions.connected({ auth: { user: 'taskd', password: 'wrong' } });
    await expect(impostor.getData(path)).rejects.toMatchObject({ code: ErrorCodes.ZK_NO_AUTH });
  });

  it('authenticates before running requests made while still connecting', async () => {
    const owner = await sessions.connected({ auth: credentials });
    const path = freshPath('early');
    await owner.create(path, { data: 'early', acl: [digestAcl(credentials.user, credentials.password)] });

    const session = sessions.open({ auth: credentials });
    expect(session.current().state).toBe('connecting');
    expect((await session.getData(path))?.data.toString()).toBe('early');
  });
});

describe('closing', () => {
  it('ends the session at once: its ephemeral znodes disappear', async () => {
    const session = await sessions.connected();
    const observer = await sessions.connected();
    const path = freshPath('ephemeral');
    await session.create(path, { ephemeral: true });
    await session.close();
    expect(await observer.exists(path)).toBeNull();
  });

  it('publishes closed last, completes state$, and is idempotent', async () => {
    const session = await sessions.connected();
    const states = lastValueFrom(session.state$.pipe(toArray()));
    const first = session.close();
    expect(session.close()).toBe(first);
    await first;
    expect((await states).map((s) => s.state)).toEqual(['connected', 'closed']);
    expect(session.current().state).toBe('closed');
  });

  it('fails requests made after close with ZK_CLOSED', async () => {
    const session = await sessions.connected();
    await session.close();
    await expect(session.exists('/test')).rejects.toMatchObject({ code: ErrorCodes.ZK_CLOSED });
  });

  it('fails requests still outstanding at close with ZK_CLOSED', async () => {
    const session = sessions.open();
    const pending = session.exists('/test');
    await session.close();
    await expect(pending).rejects.toMatchObject({ code: ErrorCodes.ZK_CLOSED });
  });
});
