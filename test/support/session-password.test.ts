/**
 * The chaos runner expires a taskd process's session knowing only the id its journal recorded: the
 * password worked out from the id must be the one the real server handed out, and must be enough to
 * expire the session.
 */
import { describe, expect, it } from 'vitest';
import { sessionIdBytes, sessionPassword } from './session-password.ts';
import { closeRawClient, connectRawClient, expireSession, useZooKeeper, waitForEvent } from './zookeeper.ts';

const zookeeper = useZooKeeper({ servers: 1 });

describe('a session password worked out from the session id', () => {
  it('is the password the server gave the client', async () => {
    for (let i = 0; i < 3; i++) {
      const client = await connectRawClient(zookeeper().connectString);
      try {
        const id = client.getSessionId().toString('hex');
        expect(sessionPassword(id).toString('hex')).toBe(client.getSessionPassword().toString('hex'));
        expect(sessionIdBytes(id)).toEqual(client.getSessionId());
      } finally {
        await closeRawClient(client);
      }
    }
  });

  it('expires the session when presented with its id alone', async () => {
    const client = await connectRawClient(zookeeper().connectString, { sessionTimeout: 30_000 });
    try {
      const id = client.getSessionId().toString('hex');
      const expired = waitForEvent(client, 'expired', { what: 'the session to expire', timeoutMs: 20_000 });
      await expireSession(zookeeper().connectString, sessionIdBytes(id), sessionPassword(id));
      await expired;
    } finally {
      client.close();
    }
  });
});
