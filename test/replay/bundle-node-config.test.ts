import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/infra/config/load.ts';
import { nodeConfigOf, nodeIdOfConfig } from '../../src/replay/bundle/node-config-of.ts';
import { redactSecrets } from '../../src/replay/bundle/redact.ts';
import { nodeConfigOf as daemonNodeConfigOf } from '../../src/streams/task-server.ts';

const TREE = {
  nodeId: 'n1',
  zookeeper: {
    hosts: ['zk1:2181'],
    suspicionFraction: 0.5,
    auth: { user: 'u', password: 'secret-password' },
  },
  health: { rise: 4, fall: 5, resignCooldownMs: 12_000 },
  vip: { address: '10.0.0.9', iface: 'eth0' },
  api: { token: 'a-token-of-enough-length' },
};

describe("a bundle's node config", () => {
  it('is what the daemon folds its journal from, even with the secrets redacted', () => {
    expect(nodeConfigOf('n1', redactSecrets(TREE))).toEqual(daemonNodeConfigOf(validateConfig(TREE)));
  });

  it('falls back to the defaults for what the config does not say', () => {
    const minimal = { nodeId: 'n2', zookeeper: { hosts: ['zk1:2181'] } };
    expect(nodeConfigOf('n2', minimal)).toEqual(daemonNodeConfigOf(validateConfig(minimal)));
    // The config schema's defaults, as the daemon runs with them.
    expect(nodeConfigOf('n3', {})).toEqual({ ...nodeConfigOf('n2', minimal), node: 'n3' });
    expect(nodeIdOfConfig(TREE)).toBe('n1');
    expect(nodeIdOfConfig('nonsense')).toBeUndefined();
  });
});
