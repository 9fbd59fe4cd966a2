/**
 * Every network namespace a test creates is recorded in a file named for its owner process, before
 * it exists. The owner deletes its namespaces in `destroy()` or, failing that, in a process 'exit'
 * hook; the global setup reaps the namespaces of owners that died without either (SIGKILL, crash).
 * Everything here is synchronous so that it also works inside an 'exit' hook.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type OwnerRecord,
  onProcessExit,
  ownRecordFile,
  reapOrphanedRecords,
  writeRecord,
} from '../../src/infra/process/owner-records.ts';

export const NETNS_REGISTRY_DIR = join(tmpdir(), 'taskd-netns');

interface NamespacesRecord extends OwnerRecord {
  readonly namespaces: readonly string[];
}

/** Namespaces of this process not yet removed, by topology id. Module-level: the exit hook is process-wide. */
const live = new Map<string, readonly string[]>();

/** Records `namespaces` as owned by this process under `id` (call before creating them). */
export function recordNamespaces(id: string, namespaces: readonly string[], dir = NETNS_REGISTRY_DIR): void {
  onProcessExit(removeAll);
  live.set(id, namespaces);
  writeRecord<NamespacesRecord>(ownRecordFile(dir, id), { owner: process.pid, namespaces });
}

/** Removes the namespaces recorded under `id` (killing what runs in them) and forgets them. Idempotent. */
export function removeRecordedNamespaces(id: string, dir = NETNS_REGISTRY_DIR): void {
  const namespaces = live.get(id);
  if (namespaces !== undefined) removeNamespacesSync(namespaces);
  live.delete(id);
  rmSync(ownRecordFile(dir, id), { force: true });
}

/** Kills the processes inside each namespace, then deletes it (its veth ends go with it). */
export function removeNamespacesSync(namespaces: readonly string[]): void {
  for (const ns of namespaces) {
    for (const pid of pidsIn(ns)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    quietIp(['netns', 'del', ns]);
  }
}

/** Deletes the namespaces of owners that are gone; those of live owners (other runs) are left alone. */
export function reapOrphanedNamespaces(dir = NETNS_REGISTRY_DIR): string[] {
  const removed: string[] = [];
  reapOrphanedRecords<NamespacesRecord>(dir, (record) => {
    const existing = record?.namespaces.filter(namespaceExists) ?? [];
    removeNamespacesSync(existing);
    removed.push(...existing);
  });
  return removed;
}

function removeAll(): void {
  for (const id of [...live.keys()]) removeRecordedNamespaces(id);
}

function pidsIn(ns: string): number[] {
  const out = quietIp(['netns', 'pids', ns]);
  return out
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((pid) => Number.isInteger(pid) && pid > 0 && pid !== process.pid);
}

function namespaceExists(ns: string): boolean {
  return quietIp(['netns', 'list'])
    .split('\n')
    .some((line) => line.split(' ')[0] === ns);
}

/** Runs `ip`, returning stdout, or '' when it fails or is not installed. */
function quietIp(args: readonly string[]): string {
  try {
    return execFileSync('ip', args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
    });
  } catch {
    return '';
  }
}
