/**
 * Every filesystem a test mounts is recorded in a file named for its owner process, before it is
 * mounted. The owner unmounts in its own cleanup or, failing that, in a process 'exit' hook; the
 * global setup unmounts those of owners that died without either (SIGKILL, crash). Synchronous, so
 * that it also works inside an 'exit' hook. Unmounts are lazy (`umount -l`): a process that still
 * has a file open there must not keep the mount alive, nor make the cleanup fail.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type OwnerRecord,
  onProcessExit,
  ownRecordFile,
  reapOrphanedRecords,
  writeRecord,
} from '../../src/infra/process/owner-records.ts';

export const MOUNT_REGISTRY_DIR = join(tmpdir(), 'taskd-mounts');

interface MountRecord extends OwnerRecord {
  readonly mountPoints: readonly string[];
}

/** Mount points of this process not yet unmounted. Module-level: the exit hook is process-wide. */
const live = new Set<string>();

/** Records `mountPoint` as owned by this process (call before mounting). */
export function recordMount(mountPoint: string, dir = MOUNT_REGISTRY_DIR): void {
  onProcessExit(unmountAll);
  live.add(mountPoint);
  write(dir);
}

/** Unmounts `mountPoint` if it is mounted and forgets it. Idempotent. */
export function unmountRecorded(mountPoint: string, dir = MOUNT_REGISTRY_DIR): void {
  unmountSync(mountPoint);
  live.delete(mountPoint);
  write(dir);
}

/** Unmounts what owners that are gone left mounted; those of live owners (other runs) are left alone. */
export function reapOrphanedMounts(dir = MOUNT_REGISTRY_DIR): string[] {
  const removed: string[] = [];
  reapOrphanedRecords<MountRecord>(dir, (record) => {
    for (const mountPoint of record?.mountPoints ?? []) if (unmountSync(mountPoint)) removed.push(mountPoint);
  });
  return removed;
}

/** True when something was mounted there and is not any more. */
export function unmountSync(mountPoint: string): boolean {
  if (!isMountPoint(mountPoint)) return false;
  try {
    execFileSync('umount', ['-l', mountPoint], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** Is `path` itself a mount point (an entry of /proc/self/mounts)? */
export function isMountPoint(path: string): boolean {
  try {
    return readFileSync('/proc/self/mounts', 'utf8')
      .split('\n')
      .some((line) => line.split(' ')[1] === path.replaceAll(' ', '\\040'));
  } catch {
    return false;
  }
}

function write(dir: string): void {
  const file = ownRecordFile(dir);
  if (live.size === 0) rmSync(file, { force: true });
  else writeRecord<MountRecord>(file, { owner: process.pid, mountPoints: [...live] });
}

function unmountAll(): void {
  for (const mountPoint of [...live]) unmountRecorded(mountPoint);
}
