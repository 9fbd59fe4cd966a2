/**
 * The node-domain config a bundle's (redacted) taskd config stands for, so that its journal folds
 * from the same `initialState(config)` the live node used. Read part by part with the config's own
 * schemas (defaults included): the whole schema would refuse "[redacted]" where a long token was.
 *
 * Mirrors the daemon's `nodeConfigOf` (src/streams/task-server.ts), which needs a whole valid
 * Config; a test holds the two together. `evolve` reads `health.rise/fall` (the health fold), the
 * rest only feeds decisions.
 */
import { defaultNodeConfig, type NodeConfig } from '../../domain/node/index.ts';
import { healthSchema, vipSchema, zooKeeperSchema } from '../../infra/config/schema.ts';

/** The daemon's VIP retry timing (the config schema has no retry settings). */
const VIP_RETRY = { retryInitialMs: 500, retryMaxMs: 30_000 } as const;

/** The node id a config names, if any. */
export function nodeIdOfConfig(config: unknown): string | undefined {
  const nodeId = field(config, 'nodeId');
  return typeof nodeId === 'string' && nodeId !== '' ? nodeId : undefined;
}

/** The NodeConfig of `node` under `config`; the defaults for whatever the config does not say. */
export function nodeConfigOf(node: string, config: unknown): NodeConfig {
  const defaults = defaultNodeConfig(node);
  const health = healthSchema.safeParse(field(config, 'health') ?? {});
  const zookeeper = zooKeeperSchema.safeParse(field(config, 'zookeeper'));
  const vip = field(config, 'vip') === undefined ? undefined : vipSchema.safeParse(field(config, 'vip'));
  return {
    node,
    session: zookeeper.success ? { suspicionFraction: zookeeper.data.suspicionFraction } : defaults.session,
    health: health.success ? { rise: health.data.rise, fall: health.data.fall } : defaults.health,
    leadership: health.success
      ? {
          cooldownMs: health.data.resignCooldownMs,
          resignGraceMs:
            (Math.max(health.data.rise, health.data.fall) + 1) * health.data.intervalMs +
            health.data.probeTimeoutMs,
        }
      : defaults.leadership,
    vip: vip?.success === true ? { address: vip.data.address, ...VIP_RETRY } : null,
  };
}

function field(tree: unknown, key: string): unknown {
  if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) return undefined;
  return (tree as Record<string, unknown>)[key];
}
