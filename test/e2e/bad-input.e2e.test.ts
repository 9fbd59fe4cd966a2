/**
 * Bad input never hurts a running node: a wrong config stops `taskd` before anything starts (exit
 * 64, naming the key); bad and oversized requests are refused with the field at fault, nothing is
 * appended, and the node keeps serving.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { ExitCode } from '../../src/cli/exit-codes.ts';
import {
  post,
  postDeclaringLength,
  readTaskLog,
  startTestCluster,
  submitBatch,
  waitAllFinished,
} from '../support/taskd-cluster.ts';
import { useZooKeeper } from '../support/zookeeper.ts';

const zookeeper = useZooKeeper({ servers: 1 });
vi.setConfig({ testTimeout: 120_000 });
const TASKD = fileURLToPath(new URL('../../bin/taskd.js', import.meta.url));

function taskd(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [TASKD, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
}

describe('a wrong configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'taskd-badcfg-'));

  it('is reported by `taskd config check` with the key at fault, exit 64', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'nodeId: n1\nzookeeper:\n  hosts: [nohost]\nrunner: { capacity: 0 }\n');
    const result = taskd(['config', 'check', file]);
    expect(result.status).toBe(ExitCode.CONFIG);
    expect(result.stderr).toContain('zookeeper.hosts.0');
    expect(result.stderr).toContain('runner.capacity');
  });

  it('passes `taskd config check` when valid', () => {
    const file = join(dir, 'good.yaml');
    writeFileSync(file, 'nodeId: n1\nzookeeper:\n  hosts: ["127.0.0.1:2181"]\n');
    const result = taskd(['config', 'check', file]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('valid');
  });

  it('stops `taskd start` before anything starts: exit 64 naming the flag, no data directory made', () => {
    const dataDir = join(dir, 'never');
    const result = taskd([
      'start',
      '--node-id',
      'n1',
      '--zk',
      zookeeper().connectString,
      '--data-dir',
      dataDir,
      '--session-timeout-ms',
      'soon',
    ]);
    expect(result.status).toBe(ExitCode.CONFIG);
    expect(result.stderr).toContain('--session-timeout-ms');
    expect(spawnSync('test', ['-e', dataDir]).status).not.toBe(0);
  });

  it('names the variable when the environment is wrong', () => {
    const result = taskd(['start', '--node-id', 'n1', '--zk', zookeeper().connectString], {
      TASKD_CAPACITY: 'many',
    });
    expect(result.status).toBe(ExitCode.CONFIG);
    expect(result.stderr).toContain('TASKD_CAPACITY');
  });
});

describe('bad requests to a running node', () => {
  it('are refused with the field at fault, append nothing, and the node keeps serving', async () => {
    const cluster = await startTestCluster(zookeeper().connectString, 1);
    const node = cluster.nodes[0]!;
    const before = (await readTaskLog(zookeeper().connectString, cluster.name)).length;
    const missingType = await post(node, '/v1/tasks', { payload: 1 });
    expect(missingType.status).toBe(400);
    expect(JSON.stringify(missingType.body)).toContain('"field":"type"');
    const badAttempts = await post(node, '/v1/tasks', { type: 'noop', maxAttempts: 0 });
    expect(JSON.stringify(badAttempts.body)).toContain('"field":"maxAttempts"');
    expect((await post(node, '/v1/tasks', '{"type": "noop",')).status).toBe(400);
    const exec = await post(node, '/v1/tasks', { type: 'exec', payload: { argv: ['rm', '-rf', '/'] } });
    expect(exec.status).toBe(400);
    expect(JSON.stringify(exec.body)).toContain('exec');
    const huge = await postDeclaringLength(node, '/v1/tasks', 2 * 1024 * 1024);
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ error: 'payload_too_large' });
    const badBatch = await post(node, '/v1/tasks:batch', { tasks: [{ type: 'noop' }, { type: 7 }] });
    expect(badBatch.status).toBe(400);
    expect(JSON.stringify(badBatch.body)).toContain('tasks.1.type');
    expect((await readTaskLog(zookeeper().connectString, cluster.name)).length).toBe(before);
    // Still serving: a good request goes through.
    const ids = await submitBatch(node, [{ type: 'noop' }]);
    const [task] = await waitAllFinished(cluster.nodes, ids);
    expect(task?.status).toBe('succeeded');
    await node.stop();
  });
});
