/**
 * Where a chaos cluster runs, chosen from what its schedule will do: on the host beside the shared
 * ensemble (most faults); each node in a network namespace of its own that reaches ZooKeeper only
 * through its veth (to cut a node off; there the nodes also hold a VIP on their own interfaces); the ensemble and every node inside one namespace (to slow
 * that namespace's loopback with netem, never the host's); and, beside any of these, each node's
 * data directory on a small tmpfs (to fill a journal's disk). A stage prepares each node before its
 * first start and takes down all it made, also when the run fails.
 */
import type { ZooKeeperCluster } from '../../src/infra/zookeeper-server/index.ts';
import type { Schedule } from './schedule.ts';
import { type MountedDisks, mountDisks } from './stage-disks.ts';
import { openNodeNamespaces } from './stage-node-namespaces.ts';
import { openSharedNamespace } from './stage-shared-namespace.ts';

/** How a node is started from where it runs. */
export interface NodePlacement {
  /** The ZooKeeper connect string as the node sees it. */
  readonly zk: string;
  /** Argv that runs the node inside its namespace (`ip netns exec NS`), if it has one. */
  readonly commandPrefix?: readonly string[];
  /** Flags the node starts with on this stage (the VIP, where nodes have interfaces of their own). */
  readonly flags?: readonly string[];
}

/** The network side of a stage: the ensemble the nodes use, and how each is placed. */
export interface StageNetwork {
  readonly kind: NetworkKind;
  /** How the stage does what it does, when that varies (how latency is added). */
  readonly detail?: string;
  readonly zookeeper: ZooKeeperCluster;
  /** Called once per node, before its first start. */
  place(nodeId: string, index: number, port: number): Promise<NodePlacement>;
  /** The client port of the server a node reached at `seenPort` (a relay in front may have another). */
  readonly serverPortOf?: (seenPort: number) => number;
  /** Cuts (true) or restores (false) the link of a node in its own namespace. */
  readonly setLinkUp?: (nodeId: string, up: boolean) => Promise<void>;
  /** netem delay on the shared namespace's loopback; undefined removes it. */
  readonly setLoopbackDelay?: (delayMs: number | undefined) => Promise<void>;
  /** The VIP the nodes are given, and the ids of the nodes whose interface has it now (`ip addr`). */
  readonly vip?: { readonly address: string; holders(): Promise<string[]> };
  close(): Promise<void>;
}

export type NetworkKind = 'host' | 'node-namespaces' | 'shared-namespace';

export interface ChaosStage extends StageNetwork {
  /** Each node's data directory as a tmpfs, when the schedule fails a disk. */
  readonly disks: MountedDisks | undefined;
  /** Prepares node `nodeId` in folder `dir` (its data directory is `dir/data`), API on `port`. */
  prepareNode(nodeId: string, index: number, dir: string, port: number): Promise<NodePlacement>;
  describe(): string;
}

/** What the schedule needs of the stage; two faults that need different networks cannot share one. */
export function stageNeeds(schedule: Schedule): { network: NetworkKind; disks: boolean } {
  const kinds = new Set(schedule.steps.flatMap((step) => step.faults.map((fault) => fault.kind)));
  const cut = kinds.has('cut-node-link');
  const slow = kinds.has('loopback-latency');
  if (cut && slow)
    throw new Error(
      'a schedule cannot both cut a node’s link and slow the shared loopback: they need different stages',
    );
  if (slow && schedule.network !== undefined)
    throw new Error(`a schedule that slows the shared loopback cannot run on ${schedule.network}`);
  const network: NetworkKind = cut
    ? 'node-namespaces'
    : slow
      ? 'shared-namespace'
      : (schedule.network ?? 'host');
  return { network, disks: kinds.has('journal-disk-full') };
}

/** Stages opened and not closed yet: what a timed-out test leaves behind. */
const open = new Set<ChaosStage>();

/** Closes every stage still open (a test's last resort after a timeout; the registries reap the rest). */
export async function closeOpenStages(): Promise<void> {
  await Promise.allSettled([...open].map((stage) => stage.close()));
}

/**
 * Opens the stage `schedule` needs; `hostZooKeeper` is the ensemble the caller owns on the host (a
 * shared-namespace stage runs its own). Closing it twice is harmless.
 */
export async function openStage(
  schedule: Schedule,
  hostZooKeeper: ZooKeeperCluster | undefined,
): Promise<ChaosStage> {
  const needs = stageNeeds(schedule);
  if (needs.network !== 'shared-namespace' && hostZooKeeper === undefined)
    throw new Error(`a ${needs.network} stage runs on the caller's ensemble: none was given`);
  const network =
    needs.network === 'shared-namespace'
      ? await openSharedNamespace()
      : needs.network === 'node-namespaces'
        ? await openNodeNamespaces(hostZooKeeper as ZooKeeperCluster)
        : onHost(hostZooKeeper as ZooKeeperCluster);
  const disks = needs.disks ? mountDisks() : undefined;
  const stage: ChaosStage = {
    ...network,
    disks,
    prepareNode: async (nodeId, index, dir, port) => {
      disks?.mount(nodeId, `${dir}/data`);
      return network.place(nodeId, index, port);
    },
    describe: () =>
      [network.kind, network.detail, disks === undefined ? undefined : 'data directories on tmpfs']
        .filter((part) => part !== undefined)
        .join(', '),
    close: async () => {
      open.delete(stage);
      // Unmount first: the journals move back onto the disk, where the oracle and a kept folder find them.
      try {
        disks?.unmountAll();
      } finally {
        await network.close();
      }
    },
  };
  open.add(stage);
  return stage;
}

/** The nodes on the host, on the caller's ensemble: nothing to prepare, nothing to close. */
function onHost(zookeeper: ZooKeeperCluster): StageNetwork {
  return {
    kind: 'host',
    zookeeper,
    place: async () => ({ zk: zookeeper.connectString }),
    close: async () => undefined,
  };
}
