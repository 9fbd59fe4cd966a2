/**
 * Fuzzing a running cluster with junk another ZooKeeper client writes under its root (members,
 * election, leader, task-log events and stream heads, drains): the nodes stay alive, ignore or
 * report the junk, and keep running tasks; afterwards a replay of their journals and the task log
 * still completes. Real ZooKeeper, real taskd processes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Client } from 'node-zookeeper-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReplay } from '../../src/replay/index.ts';
import { post, startTestCluster, type TestCluster, waitAllFinished } from '../support/taskd-cluster.ts';
import { closeRawClient, connectRawClient, useZooKeeper, waitFor } from '../support/zookeeper.ts';
import { junkArb, writeJunk } from './znode-junk.ts';

const zookeeper = useZooKeeper({ servers: 1 });
let cluster: TestCluster;
let client: Client;
let root: string;

beforeAll(async () => {
  cluster = await startTestCluster(zookeeper().connectString, 2);
  client = await connectRawClient(zookeeper().connectString);
  root = `/taskd/${cluster.name}`;
});
afterAll(async () => {
  await closeRawClient(client);
  await Promise.all(cluster.nodes.map((n) => n.stop()));
});

/** Submits a noop to every node and waits until all have succeeded. */
async function tasksStillRun(what: string): Promise<void> {
  const ids: string[] = [];
  for (const node of cluster.nodes.filter((n) => n.running)) {
    // A node that is (re)starting its services answers 503 until it is ready: that is the contract.
    await waitFor(async () => (await fetch(`${node.endpoint}/readyz`)).ok, {
      what: `${node.options.nodeId} ready`,
    });
    const reply = await post(node, '/v1/tasks', { type: 'noop', payload: { what } });
    expect(reply.status, `${node.options.nodeId}: ${JSON.stringify(reply.body)}`).toBe(201);
    ids.push((reply.body?.task as { taskId: string } | undefined)?.taskId ?? '');
  }
  const tasks = await waitAllFinished(cluster.nodes, ids, 20_000);
  expect(tasks.map((t) => t.status)).toEqual(ids.map(() => 'succeeded'));
}

describe('junk under the cluster root, written by another client', () => {
  it('leaves every node alive and running tasks', { timeout: 120_000 }, async () => {
    const nodes = cluster.nodes.map((n) => n.options.nodeId);
    await fc.assert(
      fc.asyncProperty(fc.array(junkArb, { minLength: 1, maxLength: 4 }), async (junks) => {
        const undo = [];
        for (const junk of junks) undo.push(await writeJunk(client, root, junk, nodes));
        try {
          await tasksStillRun(JSON.stringify(junks.map((j) => `${j.target}/${j.name}`)));
          for (const node of cluster.nodes) expect(node.running, `${node.options.nodeId} exited`).toBe(true);
        } finally {
          for (const u of undo.reverse()) await u?.();
        }
      }),
      // No shrinking: each run waits on real processes, and the first counterexample says enough.
      { numRuns: 20, endOnFailure: true },
    );
  });

  it('elects a new leader past a junk candidate that never goes away', { timeout: 60_000 }, async () => {
    const undo = [
      await writeJunk(client, root, { target: 'election', name: 'n_0000000000', data: new Uint8Array() }, []),
      await writeJunk(
        client,
        root,
        { target: 'election', name: 'not-a-candidate', data: new Uint8Array([1]) },
        [],
      ),
    ];
    try {
      const leader = await leaderNode();
      const other = cluster.nodes.find((n) => n !== leader && n.running);
      if (leader === undefined || other === undefined)
        throw new Error('no leader and follower to start from');
      await leader.stop();
      // The survivor must take over although a persistent "candidate" sorts before it.
      const leaderSeen = async () => (await other.get<{ leader: string | null }>('/v1/cluster'))?.leader;
      await expect.poll(leaderSeen, { timeout: 20_000 }).toBe(other.options.nodeId);
      const again = cluster.add(leader.options.nodeId, { dir: join(leader.dataDir, '..') });
      const seenByNew = async () => (await again.get<{ leader: string | null }>('/v1/cluster'))?.leader;
      await expect.poll(seenByNew, { timeout: 30_000 }).toBe(other.options.nodeId);
      await tasksStillRun('after a junk candidate');
    } finally {
      for (const u of undo) await u?.();
    }
  });
  it('lets foreign members come and go a dozen times without piling up watches', {
    timeout: 60_000,
  }, async () => {
    const nodes = cluster.nodes.map((n) => n.options.nodeId);
    for (let i = 0; i < 12; i++) {
      const junk = { target: 'members' as const, name: `foreign-${i}`, data: new TextEncoder().encode('{}') };
      const undo = await writeJunk(client, root, junk, nodes);
      await tasksStillRun(`foreign member ${i}`);
      await undo?.();
    }
  });

  // Last: the junk and the new election above must have left nothing behind either.
  it('logs no error or stray output, and leaves journals and a task log that replay', {
    timeout: 60_000,
  }, async () => {
    for (const node of cluster.nodes) {
      const errors = readFileSync(node.logPath, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '' && !/"level":[1-4]\d/.test(line));
      expect(errors, node.options.nodeId).toEqual([]);
    }
    let out = '';
    const code = await runReplay(
      {
        inputs: cluster.nodes.map((n) => n.dataDir),
        log: `zk://${zookeeper().connectString}/${cluster.name}`,
        format: 'json',
        timeline: false,
        progress: false,
      },
      {
        stdout: {
          write: (chunk: string) => {
            out += chunk;
            return true;
          },
          once: () => undefined,
        },
        stderr: { write: () => true, once: () => undefined },
      },
    );
    expect(code).toBe(0);
    expect(JSON.parse(out).summary.events).toBeGreaterThan(0);
  });
});

async function leaderNode() {
  for (const node of cluster.nodes.filter((n) => n.running)) {
    const view = await node.get<{ leader: string | null }>('/v1/cluster');
    if (view?.leader === node.options.nodeId) return node;
  }
  return undefined;
}
