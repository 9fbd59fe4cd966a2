/**
 * A standalone server that stops answering (SIGSTOP) or goes away (SIGTERM). node-zookeeper-client
 * 1.1.3 alone stays 'connected' to a paused server forever, leaves requests without an answer for
 * as long as the server is away, and cannot close cleanly then; these tests show the adapter does.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/errors.ts';
import { mayHaveBeenApplied } from '../../../src/infra/zookeeper/index.ts';
import { useZooKeeper, waitFor } from '../../support/zookeeper.ts';
import { freshPath, reach, recordStates, useSessions, waitForState } from './session-support.ts';

const zk = useZooKeeper({ servers: 1, tickTimeMs: 100 });
const sessions = useSessions(() => zk().connectString);
const server = () => zk().servers[0]!;

beforeAll(async () => {
  const setup = await sessions.connected();
  await setup.mkdirp('/test');
  await setup.close();
});

afterEach(async () => {
  if (server().isPaused) await server().resume();
  if (!server().isRunning) await server().start();
});

/** Our sockets and timers, as Node counts them. */
function ownResources(): { sockets: number; timers: number } {
  const resources = process.getActiveResourcesInfo();
  return {
    sockets: resources.filter((name) => name === 'TCPSocketWrap').length,
    timers: resources.filter((name) => name === 'Timeout').length,
  };
}

describe('(a) a paused server', () => {
  it("is reported 'disconnected' (read-timeout) within the session timeout, while it is still paused", async () => {
    const session = await sessions.connected();
    const states = recordStates(session);
    const pausedAt = Date.now();
    await server().pause();
    const pausedBy = Date.now();
    const disconnected = await waitForState(states, 'disconnected');
    expect(disconnected.reason).toBe('read-timeout');
    expect(server().isPaused).toBe(true);
    // The protocol's horizon: the server may expire the session this long after it last heard from us.
    expect(disconnected.at - pausedAt).toBeLessThan(disconnected.negotiatedTimeoutMs);
    // The last reply came before the pause: the node's suspicion deadline is counted from it.
    expect(disconnected.lastHeardAt).toBeDefined();
    expect(disconnected.lastHeardAt as number).toBeLessThanOrEqual(pausedBy);
    expect(states.map((s) => s.state)).toEqual(['connected', 'disconnected', 'connecting']);
  });
});

describe('liveness and our own event loop', () => {
  it('does not take a stall of its own event loop, longer than the read timeout, for a dead server', async () => {
    const session = await sessions.connected();
    const states = recordStates(session);
    const readTimeoutMs = session.current().negotiatedTimeoutMs / 2;
    const stallEnds = Date.now() + readTimeoutMs * 1.2;
    while (Date.now() < stallEnds) {
      // Busy: no timer, no I/O runs (a long GC pause or a blocking call would do the same).
    }
    expect(await session.exists('/test')).not.toBeNull();
    // A false verdict would come within one read timeout after the stall: watch that long.
    await new Promise((resolve) => setTimeout(resolve, readTimeoutMs));
    expect(states.map((s) => s.state)).toEqual(['connected']);
  });
});

describe('(b) every request has a deadline', () => {
  it('fails a request sent to a paused server with ZK_TIMEOUT (sent: its outcome is unknown)', async () => {
    // A deadline shorter than the liveness check, so the request is still in flight when it passes.
    const session = await sessions.connected({ requestTimeoutMs: 300 });
    const path = freshPath('paused');
    await server().pause();
    const failure = await session.create(path).catch((error: unknown) => error);
    expect(failure).toMatchObject({
      code: ErrorCodes.ZK_TIMEOUT,
      details: { op: 'create', path, sent: true },
    });
    expect(mayHaveBeenApplied(failure)).toBe(true);
  });

  it('fails a request made while the server is stopped with ZK_TIMEOUT and withdraws it for good', async () => {
    // A long session, so that it survives the restart and would run a request left in the queue.
    const session = await sessions.connected({ sessionTimeoutMs: 20_000 });
    const path = freshPath('withdrawn');
    const states = recordStates(session);
    await server().stop();
    await waitForState(states, 'disconnected');
    const failure = await session.create(path).catch((error: unknown) => error);
    expect(failure).toMatchObject({
      code: ErrorCodes.ZK_TIMEOUT,
      details: { op: 'create', path, sent: false },
    });
    expect(mayHaveBeenApplied(failure)).toBe(false);

    const sessionId = session.current().sessionId;
    await server().start();
    await reach(session, 'connected');
    expect(session.current().sessionId).toBe(sessionId);
    // Requests made before the reconnect would have been written before this read.
    expect(await session.exists(path)).toBeNull();
  });
});

describe('(e) closing while ZooKeeper is down', () => {
  it('resolves, idempotently, with the server stopped, and leaves no socket or timer behind', async () => {
    const before = ownResources();
    const session = sessions.open();
    await reach(session, 'connected');
    const states = lastValueFrom(session.state$.pipe(toArray()));
    const seen = recordStates(session);
    await server().stop();
    await waitForState(seen, 'disconnected');
    const closing = session.close();
    expect(session.close()).toBe(closing);
    await closing;
    expect((await states).map((s) => s.state)).toEqual(['connected', 'disconnected', 'connecting', 'closed']);
    await waitFor(
      () => {
        const after = ownResources();
        return after.sockets <= before.sockets && after.timers <= before.timers;
      },
      { what: 'the session to release its sockets and timers', timeoutMs: 5_000 },
    );
  });

  it('resolves with the server paused (the close request is never answered)', async () => {
    const session = await sessions.connected({ closeTimeoutMs: 500 });
    await server().pause();
    await session.close();
    expect(session.current().state).toBe('closed');
    await expect(session.exists('/test')).rejects.toMatchObject({ code: ErrorCodes.ZK_CLOSED });
  });

  it('resolves when closed before ever connecting to a stopped server', async () => {
    await server().stop();
    const session = sessions.open();
    const states = recordStates(session);
    await waitFor(() => session.credentials().sessionId === '0000000000000000' && states.length === 1, {
      what: 'the first state',
    });
    await session.close();
    expect(states.map((s) => s.state)).toEqual(['connecting', 'closed']);
  });
});
