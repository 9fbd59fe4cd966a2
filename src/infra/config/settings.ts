/**
 * The settings that can come from a flag or a TASKD_* environment variable, and where each lands in
 * the config tree. One table, so the CLI, the environment and the docs never disagree.
 */

export type SettingKind = 'string' | 'int' | 'number' | 'list' | 'boolean';

export interface Setting {
  /** Long flag name without dashes, e.g. `session-timeout-ms`. */
  readonly flag: string;
  /** Environment variable, e.g. `TASKD_SESSION_TIMEOUT_MS`. */
  readonly env: string;
  /** Dotted path in the config tree, e.g. `zookeeper.sessionTimeoutMs`. */
  readonly path: string;
  readonly kind: SettingKind;
  readonly description: string;
}

const setting = (flag: string, path: string, kind: SettingKind, description: string): Setting => ({
  flag,
  env: `TASKD_${flag.toUpperCase().replaceAll('-', '_')}`,
  path,
  kind,
  description,
});

export const settings: readonly Setting[] = [
  setting('node-id', 'nodeId', 'string', 'this node’s id, unique in the cluster'),
  setting('cluster', 'cluster', 'string', 'cluster name (the ZooKeeper root is /taskd/<cluster>)'),
  setting('priority', 'priority', 'int', 'election priority: higher wins among healthy candidates'),
  setting('zk', 'zookeeper.hosts', 'list', 'ZooKeeper hosts, comma-separated host:port'),
  setting('zk-user', 'zookeeper.auth.user', 'string', 'ZooKeeper digest user'),
  setting('zk-password', 'zookeeper.auth.password', 'string', 'ZooKeeper digest password'),
  setting('session-timeout-ms', 'zookeeper.sessionTimeoutMs', 'int', 'requested ZooKeeper session timeout'),
  setting(
    'suspicion-fraction',
    'zookeeper.suspicionFraction',
    'number',
    'fraction of the session timeout after which a disconnected session counts as lost',
  ),
  setting('listen', 'api.listen', 'string', 'HTTP API address host:port'),
  setting('api-token', 'api.token', 'string', 'bearer token required by mutating API calls'),
  setting('data-dir', 'dataDir', 'string', 'data directory (journals, restart budget, file log)'),
  setting('log-backend', 'taskLog.backend', 'string', 'task-log backend: zookeeper | eventstoredb | file'),
  setting(
    'esdb-url',
    'taskLog.esdbUrl',
    'string',
    'EventStoreDB connection string (log backend eventstoredb)',
  ),
  setting('capacity', 'runner.capacity', 'int', 'runner slots on this node'),
  setting('prefetch', 'runner.prefetch', 'int', 'assignments queued beyond the slots (short tasks)'),
  setting('exec-allow', 'runner.execAllow', 'list', 'commands the exec handler may run, comma-separated'),
  setting('vip', 'vip.address', 'string', 'virtual IP address held by the leader'),
  setting('vip-prefix', 'vip.prefix', 'int', 'VIP prefix length'),
  setting('vip-iface', 'vip.iface', 'string', 'interface that carries the VIP'),
  setting(
    'health-peers',
    'health.peers',
    'list',
    'peers probed on the secondary network, comma-separated host:port',
  ),
  setting(
    'exit-on-session-loss',
    'restart.exitOnSessionLoss',
    'boolean',
    'exit with code 75 on session loss instead of restarting in-process',
  ),
  setting('log-level', 'logLevel', 'string', 'log level: fatal | error | warn | info | debug | trace'),
  setting(
    'checkpoint-interval-ms',
    'checkpointIntervalMs',
    'int',
    'how often state hashes are journaled for replay to check',
  ),
];
