import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type OwnerRecord,
  ownRecordFile,
  reapOrphanedRecords,
  writeRecord,
} from '../process/owner-records.ts';

/** Where every owner process records the servers it spawned, so a later run can reap its orphans. */
export const REGISTRY_DIR = join(tmpdir(), 'taskd-zk-pids');

interface ServersRecord extends OwnerRecord {
  readonly root: string;
  /** pid → a string found in that process's command line (its zoo.cfg path), to survive pid reuse. */
  readonly children: Record<string, string>;
}

/**
 * The cluster records still alive in this process. Module-level on purpose: process exit and signal
 * hooks are process-wide, and they must reach every cluster however it was created.
 */
const liveRecords = new Set<ClusterRecord>();

/** One cluster's folder and live server processes, mirrored to a file in REGISTRY_DIR. */
export class ClusterRecord {
  private readonly children = new Map<number, string>();
  private readonly file: string;

  constructor(
    readonly root: string,
    registryDir: string = REGISTRY_DIR,
  ) {
    this.file = ownRecordFile(registryDir, root.replace(/[^\w.-]/g, '_'));
    installExitHooks();
    liveRecords.add(this);
    this.write();
  }

  /** Records a spawned server; `marker` must appear in its command line. */
  addChild(pid: number, marker: string): void {
    this.children.set(pid, marker);
    this.write();
  }

  removeChild(pid: number): void {
    if (this.children.delete(pid)) this.write();
  }

  /** Kills every recorded process and removes the folder, synchronously (usable in an 'exit' hook). */
  killAllSync(): void {
    for (const pid of this.children.keys()) killQuietly(pid);
    this.children.clear();
    rmSync(this.root, { recursive: true, force: true });
  }

  /** Forgets the cluster: called once its processes are gone and its folder removed. */
  release(): void {
    liveRecords.delete(this);
    rmSync(this.file, { force: true });
  }

  private write(): void {
    const record: ServersRecord = {
      owner: process.pid,
      root: this.root,
      children: Object.fromEntries(this.children),
    };
    writeRecord(this.file, record);
  }
}

/**
 * Kills servers whose owner process is gone (a test worker that crashed or was SIGKILLed) and removes
 * their folders. Records of live owners are left alone: other runs may share this machine.
 */
export function reapOrphanedServers(registryDir: string = REGISTRY_DIR): {
  killedPids: number[];
  removedFolders: string[];
} {
  const killedPids: number[] = [];
  const removedFolders: string[] = [];
  reapOrphanedRecords<ServersRecord>(registryDir, (record) => {
    for (const [pid, marker] of Object.entries(record?.children ?? {})) {
      if (commandLineOf(Number(pid)).includes(marker) && killQuietly(Number(pid)))
        killedPids.push(Number(pid));
    }
    if (record) {
      rmSync(record.root, { recursive: true, force: true });
      removedFolders.push(record.root);
    }
  });
  return { killedPids, removedFolders };
}

let hooksInstalled = false;

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killEverythingSync);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const onSignal = () => {
      killEverythingSync();
      // Listening to a signal cancels its default action; when nobody else handles it, die as we would have.
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}

function killEverythingSync(): void {
  for (const record of liveRecords) {
    record.killAllSync();
    record.release();
  }
}

function killQuietly(pid: number): boolean {
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}
