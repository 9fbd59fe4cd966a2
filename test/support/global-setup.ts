import { reapOrphanedServers } from '../../src/infra/zookeeper-server/index.ts';

/**
 * Kills ZooKeeper servers left behind by test workers that died without their exit hooks (SIGKILL,
 * crash), before the run and after it. Servers of other live runs on this machine are left alone.
 */
export function setup(): () => void {
  report('before the run', reapOrphanedServers());
  return () => report('after the run', reapOrphanedServers());
}

function report(when: string, reaped: { killedPids: number[]; removedFolders: string[] }): void {
  if (reaped.killedPids.length > 0) {
    console.warn(`global-setup: ${when}, killed orphaned ZooKeeper servers ${reaped.killedPids.join(', ')}`);
  }
}
