import { describe, expect, it } from 'vitest';
import { isSecretKey, REDACTED, redactSecrets } from '../../src/replay/bundle/redact.ts';

describe('redacting a config', () => {
  it('replaces every value under a key named like a secret, at any depth and in any case', () => {
    const config = {
      nodeId: 'n1',
      api: { token: 'abcdefghijklmnop', listen: '0.0.0.0:7070' },
      zookeeper: { auth: { user: 'taskd', password: 'pw' }, hosts: ['zk1:2181'] },
      handlers: [{ clientSecret: 'x', API_TOKEN: 'y', db_passwd: 'z', tokens: ['kept as a list name'] }],
    };
    expect(redactSecrets(config)).toEqual({
      nodeId: 'n1',
      api: { token: REDACTED, listen: '0.0.0.0:7070' },
      zookeeper: { auth: { user: 'taskd', password: REDACTED }, hosts: ['zk1:2181'] },
      handlers: [
        { clientSecret: REDACTED, API_TOKEN: REDACTED, db_passwd: REDACTED, tokens: ['kept as a list name'] },
      ],
    });
    expect(config.api.token).toBe('abcdefghijklmnop');
  });

  it('removes passwords from URLs with credentials', () => {
    expect(redactSecrets({ taskLog: { esdbUrl: 'esdb://admin:changeit@esdb1:2113?tls=false' } })).toEqual({
      taskLog: { esdbUrl: 'esdb://admin:[redacted]@esdb1:2113?tls=false' },
    });
  });

  it('knows secret key names', () => {
    expect(
      ['token', 'password', 'secret', 'apiToken', 'zk-password', 'user', 'tokenizer'].map(isSecretKey),
    ).toEqual([true, true, true, true, true, false, false]);
  });
});
