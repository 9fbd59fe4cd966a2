/**
 * A node's journal as the chaos oracle reads it: its readable events in order (what the node saw and
 * did), read with the daemon's own reader, and the records it could not read.
 */
import { join } from 'node:path';
import type { Anomaly, DomainEvent } from '../../src/domain/event.ts';
import { readJournal } from '../../src/infra/journal/read-journal.ts';

export interface JournalEntry {
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly at: number;
  readonly incarnation: number;
  readonly line: number | undefined;
}

export interface NodeJournal {
  readonly node: string;
  readonly entries: readonly JournalEntry[];
  readonly unreadable: readonly Anomaly[];
}

/** The data directory of a chaos node's folder. */
export function dataDirOf(nodeDir: string): string {
  return join(nodeDir, 'data');
}

/** Reads `node`'s journal in `dataDir` (other nodes' journals there are left out). */
export async function readNodeJournal(node: string, dataDir: string): Promise<NodeJournal> {
  const entries: JournalEntry[] = [];
  const unreadable: Anomaly[] = [];
  for await (const item of readJournal(dataDir)) {
    if (item.kind === 'anomaly') {
      unreadable.push(item.anomaly);
      continue;
    }
    const event: DomainEvent = item.event;
    if (event.meta.node !== node) continue;
    entries.push({
      type: event.type,
      data: (event.data ?? {}) as Record<string, unknown>,
      at: event.meta.at,
      incarnation: event.meta.incarnation,
      line: item.location.line,
    });
  }
  return { node, entries, unreadable };
}

/** Entries of `types` whose time is within [from, to]. */
export function entriesBetween(
  journal: NodeJournal,
  types: readonly string[],
  from: number,
  to: number,
): JournalEntry[] {
  return journal.entries.filter((e) => types.includes(e.type) && e.at >= from && e.at <= to);
}

/** The server of the node's latest SessionConnected, e.g. "127.0.0.1:2181". */
export function lastServer(journal: NodeJournal): string | undefined {
  const connected = journal.entries.filter((e) => e.type === 'SessionConnected').at(-1);
  return typeof connected?.data.server === 'string' ? connected.data.server : undefined;
}

const LEADERSHIP_ENDS = [
  'LeadershipLost',
  'LeadershipResigned',
  'SessionLost',
  'ShutdownRequested',
  'ProcessStarted',
  'ServicesStarted',
];

/**
 * Does the journal say the node leads now? The API alone cannot tell: a node started again after
 * kill -9 reads its dead session's leader znode and names itself leader until that session expires.
 */
export function leadsByJournal(journal: NodeJournal): boolean {
  const last = journal.entries
    .filter((e) => e.type === 'LeadershipAcquired' || LEADERSHIP_ENDS.includes(e.type))
    .at(-1);
  return last?.type === 'LeadershipAcquired';
}
