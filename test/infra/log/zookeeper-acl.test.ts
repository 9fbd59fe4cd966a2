/**
 * Digest ACLs on the ZooKeeper task log: with credentials, everything the log creates is readable and
 * writable with those credentials only. A plain client (or one with other credentials) can neither
 * read the payloads nor write anything under the root.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCodes, hasCode } from '../../../src/errors.ts';
import type { ZooKeeperEventLog } from '../../../src/infra/log/zookeeper/zookeeper-event-log.ts';
import { openZooKeeperEventLog } from '../../../src/infra/log/zookeeper/zookeeper-event-log.ts';
import { useZooKeeper } from '../../support/zookeeper.ts';
import { collect, event } from './contract-support.ts';
import {
  freshRoot,
  openLog,
  REQUEST_TIMEOUT_MS,
  removeTree,
  SESSION_TIMEOUT_MS,
  SessionPool,
} from './zookeeper/zookeeper-log-fixture.ts';

const zk = useZooKeeper({ servers: 1 });
const pool = new SessionPool(() => zk().connectString);
const auth = { user: 'taskd', password: 's3cret' };
let root: string;
let top: string;
let log: ZooKeeperEventLog;

beforeEach(async () => {
  ({ root, top } = freshRoot());
  log = await openZooKeeperEventLog({
    cluster: 'test',
    root,
    auth,
    connection: {
      connectString: zk().connectString,
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
    },
  });
  await log.append('orders', [event('A', 1)], 'no_stream');
});

afterEach(async () => {
  await log.close();
  await removeTree(pool.open({ auth }), top);
  await pool.closeAll();
});

const deniedBy = async (action: Promise<unknown>): Promise<boolean> =>
  action.then(
    () => false,
    (error: unknown) => hasCode(error, ErrorCodes.ZK_NO_AUTH),
  );

describe('digest ACLs', () => {
  for (const [who, credentials] of [
    ['a plain client', undefined],
    ['a client with other credentials', { user: 'taskd', password: 'wrong' }],
  ] as const) {
    it(`lets ${who} neither read payloads nor list, create, change or delete anything`, async () => {
      const stranger = pool.open(credentials === undefined ? {} : { auth: credentials });
      const batch = `${root}/events/~0000000000`;
      expect(await deniedBy(stranger.getData(batch))).toBe(true);
      expect(await deniedBy(stranger.getData(`${root}/streams/orders`))).toBe(true);
      expect(await deniedBy(stranger.getChildren(`${root}/events`))).toBe(true);
      expect(await deniedBy(stranger.create(`${root}/events/orders~`, { data: 'x', sequential: true }))).toBe(
        true,
      );
      expect(await deniedBy(stranger.setData(`${root}/streams/orders`, '{"v":1,"length":9}'))).toBe(true);
      expect(await deniedBy(stranger.remove(batch))).toBe(true);
      expect(await deniedBy(stranger.create(`${root}/intruder`))).toBe(true);
      expect((await collect(log.readAll())).map((e) => e.type)).toEqual(['A']);
    });
  }

  it('lets another log with the same credentials read and append', async () => {
    const peer = await openLog(pool.open({ auth }), root, { auth });
    try {
      expect((await collect(peer.readStream('orders'))).map((e) => e.type)).toEqual(['A']);
      await peer.append('orders', [event('B', 2)], 0);
      expect((await collect(log.readStream('orders'))).map((e) => e.type)).toEqual(['A', 'B']);
    } finally {
      await peer.close();
    }
  });

  it('refuses to open the log for a plain client, with LOG_UNAVAILABLE', async () => {
    const failure = await openLog(pool.open(), root).then(
      async (opened) => {
        const read = await collect(opened.readAll()).then(
          () => undefined,
          (error: unknown) => error,
        );
        await opened.close();
        return read;
      },
      (error: unknown) => error,
    );
    expect(hasCode(failure, ErrorCodes.LOG_UNAVAILABLE)).toBe(true);
  });
});
