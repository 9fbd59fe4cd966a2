/**
 * The contract fixture for a real EventStoreDB at TASKD_ESDB_URL. Every client of one run works in
 * one cluster (one stream prefix), fresh per run; the suite gives each test its own stream names.
 * A single plain-TCP node is reached through a TCP proxy, so interruptConnection can cut the client's
 * connection for real while the server keeps running.
 */
import { DEFAULT_MAX_BATCH_BYTES } from '../../../../src/infra/log/batch-size.ts';
import { createEventStoreDbLog } from '../../../../src/infra/log/eventstoredb/eventstoredb-log.ts';
import type { EventLog } from '../../../../src/infra/log/port.ts';
import { waitFor } from '../../../support/wait-for.ts';
import type { EventLogFixture } from '../contract.ts';
import { proxyableEsdbUrl } from './esdb-url.ts';
import { startTcpProxy } from './tcp-proxy.ts';

/** Opens a fixture on the server at `url`, with streams under `cluster`. */
export async function esdbFixture(url: string, cluster: string): Promise<EventLogFixture> {
  const route = proxyableEsdbUrl(url);
  const proxy = route === undefined ? undefined : await startTcpProxy(route.target);
  const connectionString = route !== undefined && proxy !== undefined ? route.through(proxy.port) : url;
  const logs: EventLog[] = [];
  const open = (): EventLog => {
    const log = createEventStoreDbLog({
      connectionString,
      cluster,
      maxBatchBytes: DEFAULT_MAX_BATCH_BYTES,
      resubscribe: { initialDelayMs: 50, maxDelayMs: 1_000 },
    });
    logs.push(log);
    return log;
  };

  const fixture: EventLogFixture = {
    log: open(),
    maxBatchBytes: DEFAULT_MAX_BATCH_BYTES,
    openSecondWriter: async () => open(),
    reopen: async () => open(),
    destroy: async () => {
      // The suite closed its clients; closing again is a no-op, and catches any it did not know of.
      await Promise.all(logs.map((log) => log.close()));
      await proxy?.close();
      // The streams stay on the server (ESDB deletes are tombstones or scavenged later): run the
      // contract against a throwaway server; each run writes under its own `taskd-<cluster>:` prefix.
    },
  };
  if (proxy === undefined) return fixture;
  return {
    ...fixture,
    interruptConnection: async () => {
      proxy.dropConnections();
      await waitFor(async () => (await Promise.all(logs.map(answers))).every(Boolean), {
        what: 'every open eventstoredb client to work again through the proxy',
        timeoutMs: 30_000,
      });
    },
  };
}

/** Does `log` answer a read (a closed log counts as answering: nobody waits on it)? */
async function answers(log: EventLog): Promise<boolean> {
  try {
    for await (const _ of log.readStream('connection-probe')) {
      // reading to the end is the probe
    }
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'LOG_CLOSED') return true;
    throw error;
  }
}
