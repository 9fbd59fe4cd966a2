import { lastValueFrom, toArray } from 'rxjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/errors.ts';
import type { ZooKeeperSession } from '../../../src/infra/zookeeper/types.ts';
import { expireSession, fourLetterWord, useZooKeeper, waitFor } from '../../support/zookeeper.ts';
import { freshPath, reach, useSessions } from './session-support.ts';

const zk = useZooKeeper({ servers: 1, tickTimeMs: 100 });
const sessions = useSessions(() => zk().connectString);

beforeAll(async () => {
  const setup = await sessions.connected();
  await setup.mkdirp('/test');
  await setup.close();
});

async function expire(session: ZooKeeperSession): Promise<void> {
  const { sessionId, password } = session.credentials();
  await expireSession(zk().connectString, Buffer.from(sessionId, 'hex'), Buffer.from(password, 'hex'));
}

/** The session ids the server holds connections for (its `cons` answer). */
async function connectedSessionIds(): Promise<string> {
  return fourLetterWord('127.0.0.1', zk().servers[0]!.clientPort, 'cons');
}

describe('when the session expires', () => {
  it("reports 'expired' as its last state, then the adapter is dead", async () => {
    const session = await sessions.connected();
    const states = lastValueFrom(session.state$.pipe(toArray()));
    await expire(session);
    const seen = (await states).map((s) => s.state);
    expect(seen.at(-1)).toBe('expired');
    expect(seen).not.toContain('closed');
    expect(session.current().state).toBe('expired');
  });

  it('fails outstanding and later requests with ZK_SESSION_EXPIRED and errors its watches', async () => {
    const session = await sessions.connected();
    const path = freshPath('expiring');
    await session.create(path, { data: 'x' });
    let watchError: unknown;
    session.watchData$(path).subscribe({ error: (error) => (watchError = error) });
    await expire(session);
    await reach(session, 'expired');
    await waitFor(() => watchError, { what: 'the watch to fail' });
    expect(watchError).toMatchObject({ code: ErrorCodes.ZK_SESSION_EXPIRED });
    await expect(session.getData(path)).rejects.toMatchObject({ code: ErrorCodes.ZK_SESSION_EXPIRED });
    let lateError: unknown;
    session.watchChildren$(path).subscribe({ error: (error) => (lateError = error) });
    expect(lateError).toMatchObject({ code: ErrorCodes.ZK_SESSION_EXPIRED });
  });

  it('never reconnects an expired session, and close() afterwards resolves without publishing', async () => {
    const session = await sessions.connected();
    const sid = `sid=0x${BigInt(`0x${session.current().sessionId}`).toString(16)}`;
    expect(await connectedSessionIds()).toContain(sid);
    await expire(session);
    await reach(session, 'expired');
    // The client is gone from the server: no connection with this (or a new) session of it.
    await waitFor(async () => !(await connectedSessionIds()).includes(sid), {
      what: 'the expired connection to be gone',
    });
    await session.close();
    expect(session.current().state).toBe('expired');
  });

  it('is replaced by a new session object with a new session id', async () => {
    const first = await sessions.connected();
    const path = freshPath('owned');
    await first.create(path, { ephemeral: true });
    await expire(first);
    await reach(first, 'expired');
    const second = await sessions.connected();
    expect(second.current().sessionId).not.toBe(first.current().sessionId);
    expect(await second.exists(path)).toBeNull();
    await second.create(path, { ephemeral: true });
    expect((await second.exists(path))?.ephemeralOwner).toBe(second.current().sessionId);
  });
});
