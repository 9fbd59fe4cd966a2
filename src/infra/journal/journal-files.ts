/**
 * Journal file names: `journal-<node>.jsonl` is the file being written; rotated files are
 * `journal-<node>.<n>.jsonl`, n = 1, 2, 3… in the order they were filled (higher is newer, so a
 * rotation renames one file instead of shifting them all). A node name may not end in ".<digits>",
 * which keeps every name unambiguous.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCodes, TaskdError } from '../../errors.ts';

const NODE_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const NAME_PATTERN = /^journal-(.+?)(?:\.(\d+))?\.jsonl$/;

/** The files of one node's journal, oldest first, the active one last (when present). */
export interface JournalChain {
  readonly node: string;
  readonly files: readonly string[];
}

/** Throws CONFIG_INVALID for a node name that cannot name a journal file. */
export function assertJournalNode(node: string): void {
  if (!NODE_PATTERN.test(node) || /\.\d+$/.test(node)) {
    throw new TaskdError(
      ErrorCodes.CONFIG_INVALID,
      `node name "${node}" cannot name a journal file: use letters, digits, "_", "-", "." and do not end in ".<digits>"`,
      { node },
    );
  }
}

export function activeJournalName(node: string): string {
  return `journal-${node}.jsonl`;
}

export function rotatedJournalName(node: string, rotation: number): string {
  return `journal-${node}.${rotation}.jsonl`;
}

/** The node and rotation number a file name stands for; undefined when it is no journal. */
export function parseJournalName(
  name: string,
): { readonly node: string; readonly rotation?: number } | undefined {
  const match = NAME_PATTERN.exec(name);
  if (match === null || match[1] === undefined) return undefined;
  return match[2] === undefined ? { node: match[1] } : { node: match[1], rotation: Number(match[2]) };
}

/** Rotation numbers already used by `node` among `names`, ascending. */
export function rotationsOf(node: string, names: readonly string[]): number[] {
  return names
    .map(parseJournalName)
    .flatMap((parsed) => (parsed?.node === node && parsed.rotation !== undefined ? [parsed.rotation] : []))
    .sort((a, b) => a - b);
}

/** Every node's journal chain in `dir`, by node name. */
export async function listJournalChains(dir: string): Promise<JournalChain[]> {
  const names = await readdir(dir);
  const nodes = new Set(names.flatMap((name) => parseJournalName(name)?.node ?? []));
  return [...nodes].sort().map((node) => ({
    node,
    files: [
      ...rotationsOf(node, names).map((rotation) => join(dir, rotatedJournalName(node, rotation))),
      ...(names.includes(activeJournalName(node)) ? [join(dir, activeJournalName(node))] : []),
    ],
  }));
}
