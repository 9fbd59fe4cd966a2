/**
 * Where a cluster lives in ZooKeeper. One function, so every component and `taskd replay` agree.
 */

export interface ClusterPaths {
  readonly root: string;
  /** Ephemeral member znodes, one per live node, named by node id. */
  readonly members: string;
  /** Ephemeral sequential candidates `n_<seq>`; the lowest sequence leads, its sequence is the epoch. */
  readonly election: string;
  /** Ephemeral znode of the current leader: `{ node, epoch, address }`. */
  readonly leader: string;
  /** The task log (zookeeper backend). */
  readonly log: string;
  /** Persistent znodes `drains/<node>`: that node takes no new tasks while its znode exists. */
  readonly drains: string;
  member(node: string): string;
  drain(node: string): string;
}

/** The paths of cluster `cluster` under `/taskd`. */
export function clusterPaths(cluster: string): ClusterPaths {
  const root = `/taskd/${cluster}`;
  return {
    root,
    members: `${root}/members`,
    election: `${root}/election`,
    leader: `${root}/leader`,
    log: `${root}/log`,
    drains: `${root}/drains`,
    member: (node) => `${root}/members/${node}`,
    drain: (node) => `${root}/drains/${node}`,
  };
}
