/**
 * A locked-down node: with ZooKeeper credentials, everything under taskd's root is readable and
 * writable by those credentials only; with an API token, changes need it and it never reaches the
 * log; the data directory and journals are its owner's alone.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { hasCode } from '../../src/errors.ts';
import { createZooKeeperSession } from '../../src/infra/zookeeper/index.ts';
import { clusterPaths } from '../../src/streams/cluster-paths.ts';
import { post, startTestCluster, submitBatch, waitAllFinished } from '../support/taskd-cluster.ts';
import { useZooKeeper } from '../support/zookeeper.ts';

const zookeeper = useZooKeeper({ servers: 1 });
vi.setConfig({ testTimeout: 120_000 });
const TOKEN = 'correct-horse-battery-staple';

describe('a node with ZooKeeper credentials and an API token', () => {
  it('keeps its znodes from plain clients, refuses changes without the token, and logs no secret', async () => {
    const cluster = await startTestCluster(zookeeper().connectString, 1, {
      extraArgs: ['--zk-user', 'taskd', '--zk-password', 'zk-secret-pw', '--api-token', TOKEN],
    });
    const node = cluster.nodes[0]!;
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await post(node, '/v1/tasks', { type: 'noop', payload: 'secret payload' })).status).toBe(401);
    const created = await post(node, '/v1/tasks', { type: 'noop', payload: 'secret payload' }, auth);
    expect(created.status).toBe(201);
    const id = (created.body as { task: { taskId: string } }).task.taskId;
    await waitAllFinished(cluster.nodes, [id]);

    const paths = clusterPaths(cluster.name);
    const plain = createZooKeeperSession({
      connectString: zookeeper().connectString,
      sessionTimeoutMs: 4_000,
      requestTimeoutMs: 3_000,
    });
    try {
      for (const path of [paths.log, paths.members, paths.member(node.options.nodeId), paths.election]) {
        const read = await plain.getChildren(path).then(
          () => 'read',
          (error: unknown) => (hasCode(error, 'ZK_NO_AUTH') ? 'no-auth' : String(error)),
        );
        expect({ path, read }).toEqual({ path, read: 'no-auth' });
      }
      const write = await plain.create(`${paths.log}/intruder`).then(
        () => 'written',
        (error: unknown) => (hasCode(error, 'ZK_NO_AUTH') ? 'no-auth' : String(error)),
      );
      expect(write).toBe('no-auth');
    } finally {
      await plain.close();
    }

    await node.stop();
    const log = readFileSync(node.logPath, 'utf8');
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain('zk-secret-pw');
    // The data directory and the journals are readable by their owner only.
    expect(statSync(node.dataDir).mode & 0o777).toBe(0o700);
    for (const file of readdirSync(node.dataDir).filter((f) => f.startsWith('journal-'))) {
      expect(statSync(join(node.dataDir, file)).mode & 0o777).toBe(0o600);
    }
  });

  it('still runs tasks submitted with the token through a batch', async () => {
    const cluster = await startTestCluster(zookeeper().connectString, 1, {
      extraArgs: ['--api-token', TOKEN],
    });
    const node = cluster.nodes[0]!;
    const reply = await post(
      node,
      '/v1/tasks:batch',
      { tasks: [{ type: 'noop' }] },
      { authorization: `Bearer ${TOKEN}` },
    );
    expect(reply.status).toBe(201);
    await expect(submitBatch(node, [{ type: 'noop' }])).rejects.toThrow(/401/);
    await node.stop();
  });
});
