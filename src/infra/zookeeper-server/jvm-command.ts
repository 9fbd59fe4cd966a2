import type { ZooKeeperInstall } from './install.ts';

const MAIN_CLASS = 'org.apache.zookeeper.server.quorum.QuorumPeerMain';

/**
 * Runs the command after `exec`, so the pid we hold is the JVM's own, and first forks a watchdog
 * that SIGKILLs the JVM if the owner (the test worker, the demo) dies without cleaning up
 * (SIGKILL, crash): the 'exit' hooks never run then. It leaves on its own once the JVM is gone.
 */
const WATCHDOG = [
  'owner=$1; shift',
  '( while kill -0 "$owner" 2>/dev/null && kill -0 $$ 2>/dev/null; do sleep 1; done',
  '  kill -0 "$owner" 2>/dev/null || kill -9 $$ 2>/dev/null ) </dev/null &',
  'exec "$@"',
].join('\n');

/** The program and arguments that run one server on `cfgPath`, watched over for `ownerPid`. */
export function jvmCommand(
  install: ZooKeeperInstall,
  cfgPath: string,
  ownerPid: number,
): { file: string; args: string[] } {
  const jvm = [
    // Test and demo servers: small heap, quick start (C1 only), no hsperfdata files in /tmp.
    '-Xms16m',
    '-Xmx128m',
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-XX:-UsePerfData',
    '-Djava.net.preferIPv4Stack=true',
    // The selector thread reads and answers its clients itself, and the commit processor applies
    // commits itself, instead of handing each request to pools of worker threads: on a machine of
    // two cores that runs the ensemble's three servers, the hand-offs cost more than they spread.
    // ZooKeeper's CPU per append: -25% (bench/compaction-cost.ts, the fill of 10,000 batches).
    '-Dzookeeper.nio.numWorkerThreads=0',
    '-Dzookeeper.commitProcessor.numWorkerThreads=0',
    // Loopback peers answer at once; the default backoff (up to 60 s) only delays a rejoin.
    '-Dzookeeper.fastleader.maxNotificationInterval=1000',
    '-Dzookeeper.cnxTimeout=1000',
    '-Dzookeeper.jmx.log4j.disable=true',
    '-Dorg.slf4j.simpleLogger.showDateTime=true',
    '-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS',
    '-cp',
    install.classpath.join(':'),
    MAIN_CLASS,
    cfgPath,
  ];
  return {
    file: '/bin/sh',
    args: ['-c', WATCHDOG, 'taskd-zk-watchdog', String(ownerPid), install.java, ...jvm],
  };
}
