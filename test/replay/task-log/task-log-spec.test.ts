import { describe, expect, it } from 'vitest';
import { describeTaskLogSpec, parseTaskLogSpec } from '../../../src/replay/task-log/task-log-spec.ts';

describe('task-log specs', () => {
  it('reads a file path, with or without file:', () => {
    expect(parseTaskLogSpec('/var/lib/taskd/tasks.log.jsonl')).toEqual({
      ok: true,
      spec: { kind: 'file', path: '/var/lib/taskd/tasks.log.jsonl' },
    });
    expect(parseTaskLogSpec('file:///tmp/t.log')).toEqual({
      ok: true,
      spec: { kind: 'file', path: '/tmp/t.log' },
    });
    expect(parseTaskLogSpec('file:rel/t.log')).toEqual({
      ok: true,
      spec: { kind: 'file', path: 'rel/t.log' },
    });
  });

  it('reads zk:// with hosts, the cluster, credentials and a root', () => {
    expect(parseTaskLogSpec('zk://zk1:2181,zk2:2181,10.0.0.3:2181/prod')).toEqual({
      ok: true,
      spec: { kind: 'zookeeper', hosts: ['zk1:2181', 'zk2:2181', '10.0.0.3:2181'], cluster: 'prod' },
    });
    expect(parseTaskLogSpec('zk://taskd:p%40ss@zk1:2181/prod?root=/custom/log')).toEqual({
      ok: true,
      spec: {
        kind: 'zookeeper',
        hosts: ['zk1:2181'],
        cluster: 'prod',
        root: '/custom/log',
        auth: { user: 'taskd', password: 'p@ss' },
      },
    });
  });

  it('refuses a zk:// spec without a cluster or with a bad host, never echoing a password', () => {
    expect(parseTaskLogSpec('zk://zk1:2181')).toMatchObject({
      ok: false,
      message: expect.stringContaining('needs the cluster name'),
    });
    expect(parseTaskLogSpec('zk://zk1/prod')).toMatchObject({
      ok: false,
      message: expect.stringContaining('"zk1" is not host:port'),
    });
    const bad = parseTaskLogSpec('zk://taskd:hunter2@zk1/prod');
    expect(bad.ok).toBe(false);
    expect(JSON.stringify(bad)).not.toContain('hunter2');
  });

  it('reads esdb:// and takes the cluster parameter out of the connection string', () => {
    expect(parseTaskLogSpec('esdb://admin:changeit@esdb1:2113?tls=false&cluster=prod')).toEqual({
      ok: true,
      spec: {
        kind: 'eventstoredb',
        connectionString: 'esdb://admin:changeit@esdb1:2113?tls=false',
        cluster: 'prod',
      },
    });
    expect(parseTaskLogSpec('esdb+discover://esdb1:2113')).toEqual({
      ok: true,
      spec: { kind: 'eventstoredb', connectionString: 'esdb+discover://esdb1:2113', cluster: 'taskd' },
    });
  });

  it('refuses other schemes', () => {
    expect(parseTaskLogSpec('http://log')).toMatchObject({ ok: false });
  });

  it('describes a spec for reports without its password', () => {
    const zk = parseTaskLogSpec('zk://taskd:s3cret@zk1:2181/prod');
    const esdb = parseTaskLogSpec('esdb://admin:changeit@esdb1:2113?cluster=prod');
    if (!zk.ok || !esdb.ok) throw new Error('unreadable');
    expect(describeTaskLogSpec(zk.spec)).toBe('zk://taskd:[redacted]@zk1:2181/prod');
    expect(describeTaskLogSpec(esdb.spec)).toBe('esdb://[redacted]@esdb1:2113');
  });
});
