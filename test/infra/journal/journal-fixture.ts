/** Temp data directories and events for the journal tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DomainEvent } from '../../../src/domain/event.ts';
import type { JournalItem } from '../../../src/infra/journal/read-journal.ts';

export interface TempDir {
  readonly path: string;
  remove(): Promise<void>;
}

export async function tempDir(): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), 'taskd-journal-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A journal event seen by `node` at `at`. */
export function seen(type: string, node: string, at: number, data: unknown = {}): DomainEvent {
  return { type, version: 1, data, meta: { node, incarnation: 1, at } };
}

export async function itemsOf(items: AsyncIterable<JournalItem>): Promise<JournalItem[]> {
  const all: JournalItem[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** Entries as `type@seq`, anomalies as `!kind`: a compact picture of what was read. */
export function picture(items: readonly JournalItem[]): string[] {
  return items.map((item) =>
    item.kind === 'entry' ? `${item.event.type}@${item.seq}` : `!${item.anomaly.kind}`,
  );
}
