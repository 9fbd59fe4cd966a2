/**
 * Every filesystem a test mounts is recorded in a file named for its owner process, before it is
 * mounted. The owner unmounts in its own cleanup or, failing that, in a process 'exit' hook; the
 * global setup unmounts those of owners that died without either (SIGKILL, crash). Synchronous, so
 * that it also works inside an 'exit' hook. Unmounts are lazy (`umount -l`): a process that still
 * has a file open there must not keep the mount alive, nor make the cleanup fail.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MOUNT_REGISTRY_DIR = join(tmpdir(), 'taskd-mounts');

interface RecordFile {
  readonly owner: number;
  readonly mountPoints: readonly string[];
}

/** Mount points of this process not yet unmounted. Module-level: the exit hook is process-wide. */
const live = new Set<string>();

/** Records `mountPoint` as owned by this process (call before mounting). */
export function recordMount(mountPoint: string, dir = MOUNT_REGISTRY_DIR): void {
  installExitHook();
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
  for (const name of safeReaddir(dir).filter((entry) => entry.endsWith('.json'))) {
    const path = join(dir, name);
    const record = readRecord(path);
    if (record !== undefined && isAlive(record.owner)) continue;
    for (const mountPoint of record?.mountPoints ?? []) if (unmountSync(mountPoint)) removed.push(mountPoint);
    rmSync(path, { force: true });
  }
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
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${process.pid}.json`);
  if (live.size === 0) {
    rmSync(file, { force: true });
    return;
  }
  const record: RecordFile = { owner: process.pid, mountPoints: [...live] };
  // Write then rename, so that a reaper in another process never reads half a file.
  writeFileSync(`${file}.tmp`, JSON.stringify(record));
  renameSync(`${file}.tmp`, file);
}

let hookInstalled = false;

function installExitHook(): void {
  if (hookInstalled) return;
  hookInstalled = true;
  process.on('exit', () => {
    for (const mountPoint of [...live]) unmountRecorded(mountPoint);
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readRecord(path: string): RecordFile | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RecordFile;
  } catch {
    return undefined;
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
