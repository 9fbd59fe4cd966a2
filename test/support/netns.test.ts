/**
 * The namespace harness itself: what it builds, and that it leaves nothing behind however its owner
 * ends (destroy, a plain exit, a SIGKILL followed by the global setup's reaper). Needs root.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { spawnCommand } from '../../src/infra/command/index.ts';
import { waitForEvent } from './first-value.ts';
import { createTopology } from './netns.ts';
import { reapOrphanedNamespaces } from './netns-registry.ts';
import { startTcpServer, tcpConnectFrom } from './netns-tcp.ts';
import { waitFor } from './wait-for.ts';

const existing = async (): Promise<string[]> =>
  (await spawnCommand(['ip', 'netns', 'list'], { timeoutMs: 15_000 })).output
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name !== '');

interface Owner {
  readonly child: ChildProcess;
  readonly namespaces: Promise<string[]>;
  readonly exited: Promise<void>;
}

function startOwner(mode: 'exit' | 'hang'): Owner {
  const fixture = join(import.meta.dirname, 'fixtures/netns-owner.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const namespaces = new Promise<string[]>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as string[]));
    child.once('exit', (code) =>
      reject(new Error(`the owner exited with ${code} before printing its namespaces`)),
    );
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, namespaces, exited };
}

describe('the network-namespace harness', () => {
  it('builds nodes and a client on one bridge, with short unique names, each host reaching the others', async () => {
    const net = await createTopology({ nodes: 2 });
    try {
      const [n1, n2] = net.nodes;
      for (const name of [net.bridge, n1!.ns, n2!.ns, net.client.ns]) {
        expect(name.startsWith(net.id)).toBe(true);
        expect(name.length).toBeLessThanOrEqual(15);
      }
      expect(net.base).toMatch(/^10\.(2[0-4]\d|250)\.\d{1,3}$/);
      expect(await net.addrsOf(n2!.ns)).toContain(`${n2!.address}/24`);
      expect((await net.exec(n1!.ns, ['ip', 'link', 'show', 'lo'])).output).toContain('UP');
      const server = await startTcpServer(net, n2!.ns, n2!.address, 7200);
      try {
        const reached = await tcpConnectFrom(net, n1!.ns, n2!.address, 7200);
        expect(reached.exitCode, reached.output).toBe(0);
      } finally {
        await server.close();
      }
    } finally {
      await net.destroy();
    }
  });

  it('destroys every namespace and what runs inside, and destroying again is fine', async () => {
    const net = await createTopology({ nodes: 1 });
    const sleeper = net.spawn(net.nodes[0]!.ns, ['sleep', '60']);
    const sleeperGone = waitForEvent(sleeper, 'exit', { what: 'the process in the namespace to be killed' });
    await net.destroy();
    await sleeperGone;
    expect((await existing()).filter((name) => name.startsWith(net.id))).toEqual([]);
    await net.destroy();
  });

  it('cleans up in the exit hook when its owner exits without destroying', async () => {
    const owner = startOwner('exit');
    const namespaces = await owner.namespaces;
    await owner.exited;
    await waitFor(async () => (await existing()).every((name) => !namespaces.includes(name)), {
      what: 'the namespaces of the exited owner to be gone',
    });
  });

  it('leaves the namespaces of a SIGKILLed owner to the global setup, which removes them', async () => {
    const owner = startOwner('hang');
    const namespaces = await owner.namespaces;
    owner.child.kill('SIGKILL');
    await owner.exited;
    expect(await existing()).toEqual(expect.arrayContaining(namespaces));
    expect(reapOrphanedNamespaces().sort()).toEqual(expect.arrayContaining([...namespaces].sort()));
    expect((await existing()).filter((name) => namespaces.includes(name))).toEqual([]);
  });
});
