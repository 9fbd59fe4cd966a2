import { reapOrphanedServers } from '../../src/infra/zookeeper-server/index.ts';
import { reapOrphanedMounts } from './mount-registry.ts';
import { reapOrphanedNamespaces } from './netns-registry.ts';

/**
 * Kills ZooKeeper servers, removes network namespaces (and with them their qdiscs) and unmounts the
 * filesystems left behind by test workers that died without their exit hooks (SIGKILL, crash),
 * before the run and after it. Those of other live runs on this machine are left alone.
 */
export function setup(): () => void {
  report('before the run');
  return () => report('after the run');
}

function report(when: string): void {
  const reaped = reapOrphanedServers();
  if (reaped.killedPids.length > 0) {
    console.warn(`global-setup: ${when}, killed orphaned ZooKeeper servers ${reaped.killedPids.join(', ')}`);
  }
  const namespaces = reapOrphanedNamespaces();
  if (namespaces.length > 0) {
    console.warn(`global-setup: ${when}, removed orphaned network namespaces ${namespaces.join(', ')}`);
  }
  const mounts = reapOrphanedMounts();
  if (mounts.length > 0)
    console.warn(`global-setup: ${when}, unmounted orphaned mounts ${mounts.join(', ')}`);
}
