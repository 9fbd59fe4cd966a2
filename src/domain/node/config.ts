/**
 * The node domain's configuration, as plain data: it is part of the state, so a replay that starts
 * from the same config folds the same states.
 */

export interface VipConfig {
  readonly address: string;
  /** First wait before retrying a transient VIP failure; doubles up to `retryMaxMs`. */
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
}

export interface NodeConfig {
  /** This node's id: the owner of the journal. */
  readonly node: string;
  readonly session: {
    /** Local suspicion deadline = disconnect time + fraction × negotiated session timeout (seed: 0.6). */
    readonly suspicionFraction: number;
  };
  readonly health: {
    /** Consecutive successful checks of a probe before it counts as healthy. */
    readonly rise: number;
    /** Consecutive failed checks of a probe before it counts as unhealthy. */
    readonly fall: number;
  };
  readonly leadership: {
    /** After resigning, the node stays out of the election at least this long. */
    readonly cooldownMs: number;
    /**
     * An unhealthy leader hands over only once it has been unhealthy, and another member fit, for this
     * long: a fault that every node shares reaches every node (and its member znode) within it.
     */
    readonly resignGraceMs: number;
  };
  /** No VIP configured: the node never acquires or releases one. */
  readonly vip: VipConfig | null;
}

/** Restart policy for in-process restarts after a session loss (input of `decideRestart`). */
export interface RestartPolicy {
  readonly initialBackoffMs: number;
  readonly multiplier: number;
  readonly maxBackoffMs: number;
  /** Restarts allowed inside any window of `windowMs`. */
  readonly budget: number;
  readonly windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialBackoffMs: 1_000,
  multiplier: 2,
  maxBackoffMs: 60_000,
  budget: 5,
  windowMs: 600_000,
};

/** A config with the documented defaults for everything but the node id. */
export function defaultNodeConfig(node: string): NodeConfig {
  return {
    node,
    session: { suspicionFraction: 0.6 },
    health: { rise: 3, fall: 3 },
    leadership: { cooldownMs: 30_000, resignGraceMs: 0 },
    vip: null,
  };
}
