/**
 * The ensemble and every node inside one network namespace made for the run, so that latency can be
 * added to that namespace's loopback and never to the host's (other tests share it). The JVMs start
 * under `ip netns exec` through a wrapper handed to the harness as the `java` to run (it execs, so
 * signals still reach the JVM). Each server's client port and each node's API are carried to the
 * same port on the host's loopback over Unix sockets, so the harness, the oracle and `taskd replay`
 * reach them as on the host.
 *
 * Latency: `tc qdisc replace dev lo root netem delay X` inside the namespace. A kernel without netem
 * (CONFIG_NET_SCH_NETEM unset, as on this test machine) cannot do that; then every node reaches each
 * server through a delaying relay in the namespace instead (each chunk held X ms each way), and the
 * stage says so in its description: the ensemble's own traffic is then not slowed.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnCommand, succeeded, transcriptOf } from '../../src/infra/command/index.ts';
import { findZooKeeperInstall, ZooKeeperCluster } from '../../src/infra/zookeeper-server/index.ts';
import { freeLoopbackPorts } from '../../src/infra/zookeeper-server/loopback-ports.ts';
import { recordNamespaces, removeRecordedNamespaces } from '../support/netns-registry.ts';
import { requireNetnsTools } from '../support/netns-tools.ts';
import { RELAY_ARGV, TcpRelay } from '../support/tcp-relay.ts';
import type { StageNetwork } from './chaos-stage.ts';

export const TC_INSTALL_COMMAND = 'apt-get install -y iproute2';

export type DelayMethod = 'netem on the namespace loopback' | 'delaying relay (no netem in this kernel)';

export interface SharedNamespace extends StageNetwork {
  readonly ns: string;
  readonly delayMethod: DelayMethod;
}

/** Opens the namespace, starts the ensemble in it and the relays; on failure removes what it made. */
export async function openSharedNamespace(): Promise<SharedNamespace> {
  requireNetnsTools();
  const id = `td${randomBytes(3).toString('hex').slice(0, 5)}`;
  const ns = `${id}ck`;
  recordNamespaces(id, [ns]);
  const dir = mkdtempSync(join(tmpdir(), 'taskd-stage-'));
  const relays: TcpRelay[] = [];
  let zookeeper: ZooKeeperCluster | undefined;
  const close = async () => {
    await zookeeper?.destroy();
    await Promise.all(relays.map((relay) => relay.close()));
    removeRecordedNamespaces(id);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await mustRun(['ip', 'netns', 'add', ns]);
    await mustRun(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
    const delayMethod = await probeNetem(ns);
    const host = track(relays, new TcpRelay(spawnHere(), 'the host'));
    const inside = track(relays, new TcpRelay(spawnHere(['ip', 'netns', 'exec', ns]), ns));
    /** The namespace's port `port` at the same port on the host's loopback. */
    const expose = async (port: number) => {
      const socket = `unix:${join(dir, `p${port}.sock`)}`;
      await inside.route(socket, `tcp:127.0.0.1:${port}`);
      await host.route(`tcp:127.0.0.1:${port}`, socket);
    };
    const install = findZooKeeperInstall();
    const java = join(dir, 'java-in-netns');
    writeFileSync(java, `#!/bin/sh\nexec ip netns exec ${ns} ${install.java} "$@"\n`);
    chmodSync(java, 0o755);
    zookeeper = await ZooKeeperCluster.create({ servers: 3, baseDir: dir }, { ...install, java });
    for (const server of zookeeper.servers) await expose(server.clientPort);
    await zookeeper.startQuorum();
    const fronts = await frontPorts(zookeeper, inside, delayMethod);
    const nodeZk = [...fronts.keys()].map((port) => `127.0.0.1:${port}`).join(',');
    const cluster = zookeeper;
    return {
      kind: 'shared-namespace',
      detail: `latency by ${delayMethod}`,
      ns,
      delayMethod,
      zookeeper: cluster,
      place: async (_nodeId, _index, port) => {
        await expose(port);
        return { zk: nodeZk, commandPrefix: ['ip', 'netns', 'exec', ns] };
      },
      serverPortOf: (seenPort) => fronts.get(seenPort) ?? seenPort,
      setLoopbackDelay: (delayMs) =>
        delayMethod === 'netem on the namespace loopback'
          ? setNetem(ns, delayMs)
          : inside.setDelay(delayMs ?? 0),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The ports the nodes connect to, each with the server port behind it: with netem, the servers' own;
 * without, a delaying relay's in front of each.
 */
async function frontPorts(
  zookeeper: ZooKeeperCluster,
  inside: TcpRelay,
  method: DelayMethod,
): Promise<Map<number, number>> {
  const servers = zookeeper.servers.map((server) => server.clientPort);
  if (method === 'netem on the namespace loopback') return new Map(servers.map((port) => [port, port]));
  const ports = await freeLoopbackPorts(servers.length);
  const fronts = new Map<number, number>();
  for (const [i, server] of servers.entries()) {
    const front = ports[i] as number;
    await inside.route(`tcp:127.0.0.1:${front}`, `tcp:127.0.0.1:${server}`, { delayed: true });
    fronts.set(front, server);
  }
  return fronts;
}

/** Can this kernel add netem to the namespace's loopback? Fails loudly when `tc` itself is missing. */
async function probeNetem(ns: string): Promise<DelayMethod> {
  const probe = await spawnCommand(['tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '0ms'], {
    netns: ns,
    timeoutMs: 15_000,
  });
  if (probe.spawnError !== null && /ENOENT/.test(probe.spawnError))
    throw new Error(`\`tc\` is not installed: install it as root with \`${TC_INSTALL_COMMAND}\``);
  if (succeeded(probe)) {
    await setNetem(ns, undefined);
    return 'netem on the namespace loopback';
  }
  if (/qdisc kind is unknown/i.test(probe.output)) return 'delaying relay (no netem in this kernel)';
  throw new Error(`cannot use tc in namespace ${ns}:\n${transcriptOf([probe])}`);
}

async function setNetem(ns: string, delayMs: number | undefined): Promise<void> {
  const tc = ['ip', 'netns', 'exec', ns, 'tc', 'qdisc'];
  if (delayMs === undefined) {
    // Nothing to delete is fine: the loopback is then as it was.
    await spawnCommand([...tc, 'del', 'dev', 'lo', 'root'], { timeoutMs: 15_000 });
    return;
  }
  await mustRun([...tc, 'replace', 'dev', 'lo', 'root', 'netem', 'delay', `${delayMs}ms`]);
}

function spawnHere(prefix: readonly string[] = []) {
  const [file = process.execPath, ...args] = [...prefix, ...RELAY_ARGV];
  return spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
}

function track(relays: TcpRelay[], relay: TcpRelay): TcpRelay {
  relays.push(relay);
  return relay;
}

async function mustRun(argv: readonly string[]): Promise<void> {
  const result = await spawnCommand(argv, { timeoutMs: 15_000 });
  if (!succeeded(result)) throw new Error(`stage setup failed:\n${transcriptOf([result])}`);
}
