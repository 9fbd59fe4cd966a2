/**
 * A node as the rest of the cluster sees it: what it publishes in its ephemeral member znode.
 * Shared by the task domain (scheduling) and the node domain (leadership, VIP).
 */

export type Health = 'healthy' | 'unhealthy' | 'unknown';

export interface MemberView {
  readonly node: string;
  /** Grows each time the node (re)joins with a new ZooKeeper session. */
  readonly incarnation: number;
  /** host:port of the node's HTTP API. */
  readonly address: string;
  /** Higher wins elections when several candidates are healthy. */
  readonly priority: number;
  readonly health: Health;
  readonly draining: boolean;
  /** Runner slots. */
  readonly capacity: number;
  /** Tasks the node reports running. */
  readonly load: number;
  /**
   * Assignments the node takes beyond its capacity: queued on the node and started in order as its
   * slots free, so that its runner never waits for the leader between two short tasks. Absent (a
   * node of an older version, an older journal) means 0.
   */
  readonly prefetch?: number;
}

/** The live members by node id, as last seen by a watch. */
export type MembersView = Readonly<Record<string, MemberView>>;
