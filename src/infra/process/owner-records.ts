/**
 * Records of what a process owns outside itself (server processes, network namespaces, mounts): one
 * JSON file per record in a registry folder, named for the owner's pid, written before the thing
 * exists. The owner cleans up and deletes its records; a later run reaps the records of owners that
 * died without doing so (SIGKILL, crash). Synchronous throughout, so that it also works inside an
 * 'exit' hook.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface OwnerRecord {
  /** The pid of the process that owns what the record lists. */
  readonly owner: number;
}

/** The file of this process's record named `name` in `dir` (no name: the process's only record there). */
export function ownRecordFile(dir: string, name?: string): string {
  return join(dir, name === undefined ? `${process.pid}.json` : `${process.pid}-${name}.json`);
}

/** Writes `record` to `file`, creating its folder. */
export function writeRecord<R extends OwnerRecord>(file: string, record: R): void {
  mkdirSync(dirname(file), { recursive: true });
  // Write then rename, so that a reaper in another process never reads half a file.
  writeFileSync(`${file}.tmp`, JSON.stringify(record));
  renameSync(`${file}.tmp`, file);
}

/**
 * Hands each record in `dir` whose owner is gone to `reap` (undefined when the file cannot be read),
 * then deletes its file. Records of live owners are left alone: other runs may share this machine.
 */
export function reapOrphanedRecords<R extends OwnerRecord>(
  dir: string,
  reap: (record: R | undefined) => void,
): void {
  for (const name of safeReaddir(dir).filter((entry) => entry.endsWith('.json'))) {
    const path = join(dir, name);
    const record = readRecord<R>(path);
    if (record !== undefined && isAlive(record.owner)) continue;
    reap(record);
    rmSync(path, { force: true });
  }
}

const exitCleanups = new Set<() => void>();

/** Runs `cleanup` when this process exits; asking again for the same function adds nothing. */
export function onProcessExit(cleanup: () => void): void {
  if (exitCleanups.has(cleanup)) return;
  exitCleanups.add(cleanup);
  process.on('exit', cleanup);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readRecord<R>(path: string): R | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as R;
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
