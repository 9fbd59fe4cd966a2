import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import {
  findZooKeeperInstall,
  REGISTRY_DIR,
  reapOrphanedServers,
  startZooKeeper,
} from '../../../src/infra/zookeeper-server/index.ts';
import { waitFor, waitForEvent } from '../../support/zookeeper.ts';

const baseDir = mkdtempSync(join(tmpdir(), 'taskd-zk-lifecycle-'));
afterAll(() => rmSync(baseDir, { recursive: true, force: true }));

/** True while a process with this pid exists and is a JVM (not a pid reused by something else). */
function isJavaAlive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'java';
  } catch {
    return false;
  }
}

/** JVMs whose command line names a file under `root` (their zoo.cfg), found by scanning /proc. */
function javaProcessesUnder(root: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        return isJavaAlive(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(root);
      } catch {
        return false;
      }
    });
}

describe('the lifecycle of a ZooKeeper cluster', () => {
  it('destroy kills every server, removes every folder and can be called twice', async () => {
    const cluster = await startZooKeeper({ servers: 1, baseDir });
    const pids = cluster.servers.map((server) => server.pid!);
    expect(readdirSync(baseDir)).toHaveLength(1);
    expect(javaProcessesUnder(cluster.root)).toEqual(pids);
    expect(readdirSync(REGISTRY_DIR).some((name) => name.startsWith(`${process.pid}-`))).toBe(true);

    await cluster.destroy();
    await cluster.destroy();

    expect(pids.filter(isJavaAlive)).toEqual([]);
    expect(javaProcessesUnder(cluster.root)).toEqual([]);
    expect(existsSync(cluster.root)).toBe(false);
    expect(readdirSync(baseDir)).toEqual([]);
    expect(readdirSync(REGISTRY_DIR).some((name) => name.startsWith(`${process.pid}-`))).toBe(false);
  });

  it('a server that cannot start fails with the tail of its log and leaves nothing behind', async () => {
    const broken = { ...findZooKeeperInstall(), classpath: [join(baseDir, 'missing.jar')] };
    const starting = startZooKeeper({ servers: 1, baseDir, install: broken });
    await expect(starting).rejects.toMatchObject({ code: 'ZK_OTHER' });
    await expect(starting).rejects.toThrow(
      /server 1 exited while starting[\s\S]*server\.log[\s\S]*QuorumPeerMain/,
    );
    expect(readdirSync(baseDir)).toEqual([]);
  });

  it('a server whose owner process is SIGKILLed dies with it, and the reaper removes its folder', async () => {
    const owner = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'fixtures/standalone-owner.ts'), baseDir],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      const line = await waitForEvent<string>(createInterface({ input: owner.stdout! }), 'line', {
        what: 'the owner to report its server',
      });
      const { pid, root } = JSON.parse(line) as { pid: number; root: string };
      expect(isJavaAlive(pid)).toBe(true);

      const ownerGone = waitForEvent(owner, 'exit', { what: 'the owner to die' });
      owner.kill('SIGKILL');
      await ownerGone;
      // No exit hook ran in the owner: the watchdog beside the JVM sees the owner gone and kills it.
      await waitFor(() => !isJavaAlive(pid), { what: `the orphaned server (pid ${pid}) to die` });

      // Any run's reaper may take it (its owner is dead): this one's, or a concurrent run's global setup.
      reapOrphanedServers();
      expect(existsSync(root)).toBe(false);
      expect(readdirSync(REGISTRY_DIR).some((name) => name.startsWith(`${owner.pid}-`))).toBe(false);
    } finally {
      owner.kill('SIGKILL');
    }
  });
});
