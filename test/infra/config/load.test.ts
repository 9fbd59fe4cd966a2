import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, hasCode } from '../../../src/errors.ts';
import { loadConfig } from '../../../src/infra/config/load.ts';

const dir = mkdtempSync(join(tmpdir(), 'taskd-config-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
function errorOf(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('loading the configuration', () => {
  it('fills every default from a minimal file', () => {
    const config = loadConfig({
      file: file('min.yaml', 'nodeId: n1\nzookeeper:\n  hosts: [127.0.0.1:2181]\n'),
    });
    expect(config.cluster).toBe('taskd');
    expect(config.zookeeper.sessionTimeoutMs).toBe(6000);
    expect(config.zookeeper.suspicionFraction).toBe(0.6);
    expect(config.runner.capacity).toBe(4);
    expect(config.taskLog.backend).toBe('zookeeper');
    expect(config.api.listen).toBe('127.0.0.1:7070');
    expect(config.restart.exitOnSessionLoss).toBe(false);
  });

  it('gives flags precedence over the environment, and the environment over the file', () => {
    const path = file(
      'p.yaml',
      'nodeId: from-file\ncluster: c-file\nrunner: { capacity: 2 }\nzookeeper: { hosts: ["a:1"] }\n',
    );
    const config = loadConfig({
      file: path,
      env: { TASKD_NODE_ID: 'from-env', TASKD_CAPACITY: '8' },
      flags: { 'node-id': 'from-flag', zk: 'h1:2181, h2:2182' },
    });
    expect(config.nodeId).toBe('from-flag');
    expect(config.runner.capacity).toBe(8);
    expect(config.cluster).toBe('c-file');
    expect(config.zookeeper.hosts).toEqual(['h1:2181', 'h2:2182']);
  });

  it('names the key and the flag when a flag is wrong', () => {
    const error = errorOf(() =>
      loadConfig({ flags: { 'node-id': 'n1', zk: 'h:1', 'session-timeout-ms': '12x' } }),
    );
    expect(hasCode(error, ErrorCodes.CONFIG_INVALID)).toBe(true);
    expect(error.message).toContain('zookeeper.sessionTimeoutMs');
    expect(error.message).toContain('--session-timeout-ms');
  });

  it('names the key and the variable when a value is out of range', () => {
    const error = errorOf(() =>
      loadConfig({ env: { TASKD_NODE_ID: 'n1', TASKD_ZK: 'h:1', TASKD_CAPACITY: '0' } }),
    );
    expect(error.message).toMatch(/runner\.capacity: .*>=1.*TASKD_CAPACITY/);
  });

  it('rejects an unknown key in the file, naming it', () => {
    const path = file('unknown.yaml', 'nodeId: n1\nzookeeper: { hosts: ["a:1"], sessionTimout: 5 }\n');
    const error = errorOf(() => loadConfig({ file: path }));
    expect(error.message).toContain('zookeeper.sessionTimout');
  });

  it('reports a YAML syntax error with the file and line', () => {
    const path = file('broken.yaml', 'nodeId: n1\nzookeeper:\n  hosts: [a:1\n  x: y\n');
    const error = errorOf(() => loadConfig({ file: path }));
    expect(hasCode(error, ErrorCodes.CONFIG_INVALID)).toBe(true);
    expect(error.message).toMatch(/broken\.yaml:\d+:\d+/);
  });

  it('reports a missing file plainly', () => {
    const error = errorOf(() => loadConfig({ file: join(dir, 'nope.yaml') }));
    expect(error.message).toContain('cannot read config file');
  });

  it('lists every problem at once', () => {
    const error = errorOf(() => loadConfig({ flags: { 'node-id': '-bad', capacity: '-1' } }));
    expect(error.message).toContain('nodeId');
    expect(error.message).toContain('zookeeper');
    expect(error.message).toContain('runner.capacity');
  });

  it('needs an esdbUrl for the eventstoredb backend', () => {
    const error = errorOf(() =>
      loadConfig({ flags: { 'node-id': 'n', zk: 'h:1', 'log-backend': 'eventstoredb' } }),
    );
    expect(error.message).toContain('taskLog.esdbUrl');
  });

  it('never throws anything but a CONFIG_INVALID error on arbitrary flag values', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom(
            'node-id',
            'zk',
            'capacity',
            'listen',
            'session-timeout-ms',
            'exit-on-session-loss',
            'priority',
          ),
          fc.string(),
        ),
        (flags) => {
          try {
            loadConfig({ flags });
          } catch (error) {
            expect(hasCode(error, ErrorCodes.CONFIG_INVALID)).toBe(true);
          }
        },
      ),
    );
  });
});
