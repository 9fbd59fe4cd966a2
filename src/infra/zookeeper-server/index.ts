/** Real ZooKeeper servers on loopback for tests, the demo and the benchmarks. */
export { type StartZooKeeperOptions, startZooKeeper, ZooKeeperCluster } from './cluster.ts';
export { fourLetterWord, modeOf, type ZooKeeperMode } from './four-letter-word.ts';
export { findZooKeeperInstall, type ZooKeeperInstall } from './install.ts';
export { type PollOptions, pollUntil } from './poll.ts';
export { REGISTRY_DIR, reapOrphanedServers } from './process-registry.ts';
export { ZooKeeperServer } from './server.ts';
