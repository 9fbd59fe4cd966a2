import { afterAll, beforeAll } from 'vitest';
import {
  type StartZooKeeperOptions,
  startZooKeeper,
  type ZooKeeperCluster,
} from '../../src/infra/zookeeper-server/index.ts';

export {
  fourLetterWord,
  type StartZooKeeperOptions,
  startZooKeeper,
  ZooKeeperCluster,
  type ZooKeeperMode,
  ZooKeeperServer,
} from '../../src/infra/zookeeper-server/index.ts';
export { expireSession } from './expire-session.ts';
export { firstValue, waitForEvent } from './first-value.ts';
export { closeRawClient, connectRawClient } from './raw-zookeeper-client.ts';
export { serverOfSession } from './server-of-session.ts';
export { waitFor } from './wait-for.ts';

/**
 * Starts one real ZooKeeper (standalone or ensemble) for the whole test file and destroys it after the
 * last test, or at once if it fails to start. Returns an accessor for use inside tests and hooks.
 */
export function useZooKeeper(options: StartZooKeeperOptions): () => ZooKeeperCluster {
  let cluster: ZooKeeperCluster | undefined;
  beforeAll(async () => {
    // startZooKeeper destroys what it started when it fails, so there is nothing to clean here then.
    cluster = await startZooKeeper(options);
  });
  afterAll(async () => {
    await cluster?.destroy();
  });
  return () => {
    if (!cluster) throw new Error('useZooKeeper: the cluster is not started (use it inside tests or hooks)');
    return cluster;
  };
}
