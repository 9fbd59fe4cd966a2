/**
 * Servers that misbehave on demand (a fake one on loopback).
 *
 * (d) node-zookeeper-client 1.1.3 throws from its socket 'data' handler on a reply it cannot parse
 * (issues #39, #70, #89 of alexguan/node-zookeeper-client): an uncaught exception that kills the
 * process. The adapter contains it: the session reports the error and reconnects.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/errors.ts';
import { createZooKeeperSession } from '../../../src/infra/zookeeper/index.ts';
import type { ZooKeeperSession, ZooKeeperSessionOptions } from '../../../src/infra/zookeeper/types.ts';
import { waitFor } from '../../support/zookeeper.ts';
import {
  FAKE_SESSION_ID,
  type FakeZooKeeper,
  frame,
  replyHeader,
  startFakeZooKeeper,
} from './fake-zookeeper-server.ts';
import { recordStates, waitForState } from './session-support.ts';

const EXISTS_OPCODE = 3;
const AUTH_OPCODE = 100;
const AUTH_XID = -4;
const AUTH_FAILED = -115;

let uncaught: unknown[] = [];
const onUncaught = (error: unknown) => uncaught.push(error);
let fake: FakeZooKeeper | undefined;
let session: ZooKeeperSession | undefined;

beforeEach(() => {
  uncaught = [];
  process.on('uncaughtException', onUncaught);
});

afterEach(async () => {
  await session?.close();
  await fake?.close();
  process.removeListener('uncaughtException', onUncaught);
});

function open(connectString: string, overrides: Partial<ZooKeeperSessionOptions> = {}): ZooKeeperSession {
  // The fake never answers CloseSession: close() waits closeTimeoutMs, then drops the socket.
  session = createZooKeeperSession({
    ...overrides,
    connectString,
    sessionTimeoutMs: 2_000,
    requestTimeoutMs: 5_000,
    closeTimeoutMs: 200,
  });
  return session;
}

describe('a malformed reply from the server', () => {
  it('is contained: the session reports a ZK_PROTOCOL disconnect, then reconnects', async () => {
    // A frame too short for a reply header: parsing it reads past the end of the buffer.
    const garbage = frame(Buffer.from([0, 0, 0, 1]));
    fake = await startFakeZooKeeper((index) => (index === 0 ? { afterConnect: garbage } : {}));
    const states = recordStates(open(fake.connectString));

    const disconnected = await waitForState(states, 'disconnected');
    expect(disconnected.reason).toBe('protocol-error');
    expect(disconnected.error).toMatchObject({ code: ErrorCodes.ZK_PROTOCOL });
    await waitFor(() => states.filter((s) => s.state === 'connected').length === 2, {
      what: 'the reconnection',
    });
    expect(states.map((s) => s.state)).toEqual([
      'connecting',
      'connected',
      'disconnected',
      'connecting',
      'connected',
    ]);
    expect(states.at(-1)?.sessionId).toBe(FAKE_SESSION_ID.toString('hex'));
    expect(uncaught).toEqual([]);
  });

  it('fails the request whose reply was malformed with ZK_PROTOCOL instead of leaving it unanswered', async () => {
    // An error code the library does not know makes it throw while handling that request's reply.
    fake = await startFakeZooKeeper(() => ({
      onRequest: (xid, type) => (type === EXISTS_OPCODE ? replyHeader(xid, -1237188481) : null),
    }));
    const states = recordStates(open(fake.connectString));
    await waitForState(states, 'connected');

    await expect(session!.exists('/anything')).rejects.toMatchObject({
      code: ErrorCodes.ZK_PROTOCOL,
      details: { op: 'exists', path: '/anything', sent: true },
    });
    expect((await waitForState(states, 'disconnected')).reason).toBe('protocol-error');
    expect(uncaught).toEqual([]);
  });
});

describe('an authentication failure', () => {
  it("is terminal: 'auth-failed' is the last state and requests fail with ZK_NO_AUTH", async () => {
    fake = await startFakeZooKeeper(() => ({
      onRequest: (_xid, type) => (type === AUTH_OPCODE ? replyHeader(AUTH_XID, AUTH_FAILED) : null),
    }));
    const opened = open(fake.connectString, { auth: { user: 'taskd', password: 'nope' } });
    const states = lastValueFrom(opened.state$.pipe(toArray()));
    expect((await states).map((s) => s.state)).toEqual(['connecting', 'connected', 'auth-failed']);
    await expect(opened.exists('/x')).rejects.toMatchObject({ code: ErrorCodes.ZK_NO_AUTH });
    expect(fake.connections()).toBe(1);
  });
});

describe('a server that accepts connections but never answers the handshake', () => {
  it('is given up after the connect timeout and tried again (the library would wait forever)', async () => {
    fake = await startFakeZooKeeper(() => ({ silent: true }));
    const opened = open(fake.connectString);
    await waitFor(() => fake!.connections() >= 2, { what: 'a second connection attempt' });
    expect(opened.current().state).toBe('connecting');
  });
});
