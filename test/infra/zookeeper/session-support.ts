/** Shared by the ZooKeeper adapter's integration tests: sessions that are closed after each test. */
import { afterEach } from 'vitest';
import { createZooKeeperSession } from '../../../src/infra/zookeeper/index.ts';
import type {
  SessionState,
  SessionStateName,
  ZooKeeperSession,
  ZooKeeperSessionOptions,
} from '../../../src/infra/zookeeper/types.ts';
import { firstValue, waitFor } from '../../support/zookeeper.ts';

export const SESSION_TIMEOUT_MS = 2_000;
export const REQUEST_TIMEOUT_MS = 1_500;

/** Sessions opened by `openSession` in the current test; closed after it. */
export function useSessions(connectString: () => string) {
  const open: ZooKeeperSession[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((session) => session.close()));
  });
  return {
    /** A new session, not yet connected. */
    open(overrides: Partial<ZooKeeperSessionOptions> = {}): ZooKeeperSession {
      const session = createZooKeeperSession({
        connectString: connectString(),
        sessionTimeoutMs: SESSION_TIMEOUT_MS,
        requestTimeoutMs: REQUEST_TIMEOUT_MS,
        ...overrides,
      });
      open.push(session);
      return session;
    },
    /** A new session, once it is connected. */
    async connected(overrides: Partial<ZooKeeperSessionOptions> = {}): Promise<ZooKeeperSession> {
      const session = this.open(overrides);
      await reach(session, 'connected');
      return session;
    },
  };
}

/** The first state named `name` the session reaches (the current one counts), within a bound. */
export function reach(
  session: ZooKeeperSession,
  name: SessionStateName,
  timeoutMs = 20_000,
): Promise<SessionState> {
  return firstValue(session.state$, {
    what: `the session to be ${name}`,
    match: (state) => state.state === name,
    timeoutMs,
  });
}

/** Records every state the session publishes from now on. */
export function recordStates(session: ZooKeeperSession): SessionState[] {
  const seen: SessionState[] = [];
  session.state$.subscribe((state) => seen.push(state));
  return seen;
}

/** Waits until `states` (from recordStates) holds a state named `name`, within a bound. */
export async function waitForState(
  states: readonly SessionState[],
  name: SessionStateName,
): Promise<SessionState> {
  return waitFor(() => states.find((state) => state.state === name), { what: `the session to be ${name}` });
}

let counter = 0;
/** A fresh path under `/test` for one test, so tests in a file do not see each other's znodes. */
export function freshPath(name: string): string {
  counter += 1;
  return `/test/${name}-${process.pid}-${counter}`;
}
