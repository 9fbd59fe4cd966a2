import zookeeper, { type Client } from 'node-zookeeper-client';
import { waitForEvent } from './first-value.ts';
import { guardHandshake } from './handshake-guard.ts';

/**
 * A node-zookeeper-client Client, connected (SYNC_CONNECTED) within a bound, with a handshake guard
 * (see handshake-guard.ts) so that it survives server restarts. For tests of the harness and for
 * setting up or inspecting znodes beside the code under test. Close it with closeRawClient.
 */
export async function connectRawClient(
  connectString: string,
  options: { sessionTimeout?: number; spinDelay?: number; timeoutMs?: number } = {},
): Promise<Client> {
  const client = zookeeper.createClient(connectString, {
    sessionTimeout: options.sessionTimeout ?? 10_000,
    spinDelay: options.spinDelay ?? 100,
  });
  const connected = waitForEvent(client, 'connected', {
    what: `a client to connect to ${connectString}`,
    timeoutMs: options.timeoutMs ?? 20_000,
  });
  guardHandshake(client);
  client.connect();
  try {
    await connected;
  } catch (error) {
    client.close();
    throw error;
  }
  return client;
}

/** Closes the client's session and waits until the library reports it closed (DISCONNECTED). */
export async function closeRawClient(client: Client, options: { timeoutMs?: number } = {}): Promise<void> {
  const state = client.getState();
  if (state === zookeeper.State.EXPIRED || state === zookeeper.State.DISCONNECTED) {
    client.close();
    return;
  }
  const closed = waitForEvent(client, 'disconnected', {
    what: 'the client to close',
    timeoutMs: options.timeoutMs,
  });
  client.close();
  await closed.catch(() => undefined);
}
