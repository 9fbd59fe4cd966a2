/**
 * A throw-away network for one test file: a namespace per taskd node and one for a client, each with
 * an `eth0` joined by a veth pair to a bridge that lives in a namespace of its own. Every name starts
 * with a random id, the subnet is drawn from 10.200-250.x.0/24, and the veths are created directly in
 * the namespaces: nothing is added to the host's own network, and no packet can leave.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { type CommandResult, spawnCommand, succeeded, transcriptOf } from '../../src/infra/command/index.ts';
import { recordNamespaces, removeRecordedNamespaces } from './netns-registry.ts';
import { requireNetnsTools } from './netns-tools.ts';

export { NETNS_INSTALL_COMMAND, requireNetnsTools } from './netns-tools.ts';

export interface NetnsHost {
  readonly ns: string;
  /** Always `eth0`: each namespace has interfaces of its own. */
  readonly iface: string;
  readonly address: string;
}

export interface NetnsTopology {
  readonly id: string;
  /** The first three octets of the subnet: `10.214.7`. */
  readonly base: string;
  readonly prefix: 24;
  readonly bridge: string;
  readonly nodes: readonly NetnsHost[];
  readonly client: NetnsHost;
  /** `${base}.${host}`: an address of the test subnet (nodes use .11…, the client .100). */
  address(host: number): string;
  /** Runs argv inside `ns`; never throws. */
  exec(ns: string, argv: readonly string[], timeoutMs?: number): Promise<CommandResult>;
  /** Starts a long-running argv inside `ns`; `destroy()` kills it if it is still running. */
  spawn(ns: string, argv: readonly string[]): ChildProcess;
  linkDown(ns: string, iface?: string): Promise<void>;
  linkUp(ns: string, iface?: string): Promise<void>;
  /** The IPv4 and IPv6 addresses on `iface` in `ns`, as `ADDR/PREFIX`. */
  addrsOf(ns: string, iface?: string): Promise<string[]>;
  /** Kills what runs inside and removes every namespace (and so every veth). Idempotent. */
  destroy(): Promise<void>;
}

export interface TopologyOptions {
  /** Namespaces for taskd nodes (n1, n2, …). */
  readonly nodes: number;
}

/** Creates the topology; on failure removes whatever it had created and throws with the commands' output. */
export async function createTopology(options: TopologyOptions): Promise<NetnsTopology> {
  requireNetnsTools();
  const id = `td${randomBytes(3).toString('hex').slice(0, 5)}`;
  const base = `10.${randomInt(200, 251)}.${randomInt(0, 256)}`;
  const host = (name: string, octet: number): NetnsHost => ({
    ns: `${id}${name}`,
    iface: 'eth0',
    address: `${base}.${octet}`,
  });
  const nodes = Array.from({ length: options.nodes }, (_, i) => host(`n${i + 1}`, 11 + i));
  const client = host('cl', 100);
  const bridge = `${id}br`;
  const hosts = [...nodes, client];
  recordNamespaces(id, [bridge, ...hosts.map((h) => h.ns)]);
  const children = new Set<ChildProcess>();
  let destroyed = false;

  const topology: NetnsTopology = {
    id,
    base,
    prefix: 24,
    bridge,
    nodes,
    client,
    address: (octet) => `${base}.${octet}`,
    exec: (ns, argv, timeoutMs = 15_000) => spawnCommand(argv, { netns: ns, timeoutMs }),
    spawn: (ns, argv) => {
      if (destroyed) throw new Error(`topology ${id} is destroyed`);
      const child = spawn('ip', ['netns', 'exec', ns, ...argv], { stdio: ['pipe', 'pipe', 'pipe'] });
      children.add(child);
      child.once('exit', () => children.delete(child));
      return child;
    },
    linkDown: (ns, iface = 'eth0') => mustRun(['ip', '-n', ns, 'link', 'set', iface, 'down']),
    linkUp: (ns, iface = 'eth0') => mustRun(['ip', '-n', ns, 'link', 'set', iface, 'up']),
    addrsOf: async (ns, iface = 'eth0') => {
      const result = await spawnCommand(['ip', '-n', ns, '-o', 'addr', 'show', 'dev', iface], {
        timeoutMs: 15_000,
      });
      if (!succeeded(result)) throw new Error(`cannot list addresses:\n${transcriptOf([result])}`);
      // `2: eth0    inet 10.214.7.11/24 brd … scope global eth0\ …`
      return [...result.output.matchAll(/\binet6? (\S+)/g)].map((match) => match[1] as string);
    },
    destroy: async () => {
      destroyed = true;
      for (const child of children) child.kill('SIGKILL');
      children.clear();
      removeRecordedNamespaces(id);
    },
  };

  try {
    await mustRun(['ip', 'netns', 'add', bridge]);
    await mustRun(['ip', '-n', bridge, 'link', 'add', 'br0', 'type', 'bridge']);
    await mustRun(['ip', '-n', bridge, 'link', 'set', 'br0', 'up']);
    for (const [index, h] of hosts.entries()) {
      const port = `v${index}`;
      await mustRun(['ip', 'netns', 'add', h.ns]);
      await mustRun([
        'ip',
        '-n',
        bridge,
        'link',
        'add',
        port,
        'type',
        'veth',
        'peer',
        'name',
        h.iface,
        'netns',
        h.ns,
      ]);
      await mustRun(['ip', '-n', bridge, 'link', 'set', port, 'master', 'br0', 'up']);
      await mustRun(['ip', '-n', h.ns, 'addr', 'add', `${h.address}/24`, 'dev', h.iface]);
      await mustRun(['ip', '-n', h.ns, 'link', 'set', h.iface, 'up']);
      await mustRun(['ip', '-n', h.ns, 'link', 'set', 'lo', 'up']);
    }
  } catch (error) {
    await topology.destroy();
    throw error;
  }
  return topology;
}

/**
 * One topology for the whole test file: created before the first test (failing every test, with the
 * install command, when root or the tools are missing), destroyed after the last one.
 */
export function useNetns(options: TopologyOptions): () => NetnsTopology {
  let topology: NetnsTopology | undefined;
  beforeAll(async () => {
    topology = await createTopology(options);
  });
  afterAll(async () => {
    await topology?.destroy();
  });
  return () => {
    if (topology === undefined)
      throw new Error('useNetns: the topology is not created (use it inside tests or hooks)');
    return topology;
  };
}

async function mustRun(argv: readonly string[]): Promise<void> {
  const result = await spawnCommand(argv, { timeoutMs: 15_000 });
  if (!succeeded(result)) throw new Error(`netns setup failed:\n${transcriptOf([result])}`);
}
