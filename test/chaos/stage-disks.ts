/**
 * Each chaos node's data directory (its journal) on a tmpfs of its own, so that a fault can fill one
 * node's disk. Unmounting moves the journals back onto the real disk for the oracle and a kept folder.
 */
import { mountTmpfs, type TmpfsMount } from '../support/tmpfs.ts';

/** Large enough for any run's journal; small enough to fill in a blink. */
const DISK_BYTES = 32 * 1024 * 1024;

export interface MountedDisks {
  mount(nodeId: string, dataDir: string): void;
  of(nodeId: string): TmpfsMount;
  /** Unmounts every disk (journals moved back); tries them all even when one fails. */
  unmountAll(): void;
}

export function mountDisks(): MountedDisks {
  const disks = new Map<string, TmpfsMount>();
  return {
    mount: (nodeId, dataDir) => {
      disks.set(nodeId, mountTmpfs(dataDir, DISK_BYTES));
    },
    of: (nodeId) => {
      const disk = disks.get(nodeId);
      if (disk === undefined) throw new Error(`node ${nodeId} has no disk of its own on this stage`);
      return disk;
    },
    unmountAll: () => {
      const failures: string[] = [];
      for (const [nodeId, disk] of disks) {
        try {
          disk.unmount();
        } catch (error) {
          failures.push(`${nodeId}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      if (failures.length > 0) throw new Error(`cannot unmount every disk: ${failures.join('; ')}`);
    },
  };
}
