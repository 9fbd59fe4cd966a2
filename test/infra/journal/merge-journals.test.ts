import { mkdirSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../src/domain/event.ts';
import { mergeJournalItems, mergeJournals } from '../../../src/infra/journal/merge-journals.ts';
import { openNodeJournal } from '../../../src/infra/journal/node-journal.ts';
import type { JournalItem } from '../../../src/infra/journal/read-journal.ts';
import { itemsOf, picture, seen, type TempDir, tempDir } from './journal-fixture.ts';

let dir: TempDir;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(() => dir.remove());

/** Writes `events` to `node`'s journal in its own data directory; returns that directory. */
function nodeDir(node: string, events: readonly DomainEvent[]): string {
  const path = join(dir.path, node);
  mkdirSync(path);
  const journal = openNodeJournal({ dir: path, node, maxFileBytes: 250 });
  for (const event of events) journal.appendSync(event);
  journal.close();
  return path;
}

describe('merging node journals', () => {
  it('orders entries by time, then node, then seq, across rotated files', async () => {
    const n1 = nodeDir('n1', [
      seen('a', 'n1', 10),
      seen('b', 'n1', 30),
      seen('c', 'n1', 30),
      seen('d', 'n1', 50),
    ]);
    const n2 = nodeDir('n2', [seen('e', 'n2', 20), seen('f', 'n2', 30), seen('g', 'n2', 40)]);
    const n3 = nodeDir('n3', [seen('h', 'n3', 5), seen('i', 'n3', 30)]);
    const merged = await itemsOf(mergeJournals([n2, n1, n3]));
    expect(picture(merged)).toEqual(['h@1', 'a@1', 'e@1', 'b@2', 'c@3', 'f@2', 'i@2', 'g@3', 'd@4']);
  });

  it('takes a directory holding several nodes’ journals as one journal per node', async () => {
    for (const [node, at] of [
      ['n1', 2],
      ['n2', 1],
    ] as const) {
      const journal = openNodeJournal({ dir: dir.path, node });
      journal.appendSync(seen(`${node}-x`, node, at));
      journal.appendSync(seen(`${node}-y`, node, at + 2));
      journal.close();
    }
    expect(picture(await itemsOf(mergeJournals([dir.path])))).toEqual([
      'n2-x@1',
      'n1-x@1',
      'n2-y@2',
      'n1-y@2',
    ]);
  });

  it('passes anomalies on where their journal reaches them', async () => {
    const bad: JournalItem[] = [
      entry(1, seen('a', 'n1', 10)),
      { kind: 'anomaly', anomaly: { kind: 'torn_line', message: 'torn' } },
    ];
    const good = [entry(1, seen('b', 'n2', 5)), entry(2, seen('c', 'n2', 20))];
    const merged = await itemsOf(mergeJournalItems([fromArray(bad), fromArray(good)]));
    expect(picture(merged)).toEqual(['b@1', 'a@1', '!torn_line', 'c@2']);
  });

  it('reads at most one entry ahead in each journal (bounded memory)', async () => {
    const pulled = [0, 0];
    const journal = (index: number, node: string): AsyncIterable<JournalItem> =>
      counting(
        Array.from({ length: 1000 }, (_, i) => entry(i + 1, seen(`${node}${i}`, node, i * 2 + index))),
        () => {
          pulled[index] = (pulled[index] ?? 0) + 1;
        },
      );
    const taken: JournalItem[] = [];
    for await (const item of mergeJournalItems([journal(0, 'a'), journal(1, 'b')])) {
      taken.push(item);
      if (taken.length === 10) break;
    }
    expect(picture(taken).slice(0, 4)).toEqual(['a0@1', 'b0@1', 'a1@2', 'b1@2']);
    expect((pulled[0] ?? 0) + (pulled[1] ?? 0)).toBeLessThanOrEqual(12);
  });

  it('closes every journal it opened when the reader stops early', async () => {
    const n1 = nodeDir('n1', [seen('a', 'n1', 1), seen('b', 'n1', 3)]);
    const n2 = nodeDir('n2', [seen('c', 'n2', 2), seen('d', 'n2', 4)]);
    let openWhileReading: string[] = [];
    for await (const item of mergeJournals([n1, n2])) {
      expect(item.kind).toBe('entry');
      openWhileReading = openFilesUnder(dir.path);
      break;
    }
    expect(openWhileReading).toHaveLength(2);
    expect(openFilesUnder(dir.path)).toEqual([]);
  });
});

/** Files under `root` this process holds open (Linux: /proc/self/fd). */
function openFilesUnder(root: string): string[] {
  return readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      const target = readlinkSync(join('/proc/self/fd', fd));
      return target.startsWith(root) ? [target] : [];
    } catch {
      return []; // the fd closed while we looked
    }
  });
}

function entry(seq: number, event: DomainEvent): JournalItem {
  return { kind: 'entry', seq, event, location: { source: event.meta.node, line: seq } };
}

async function* fromArray(items: readonly JournalItem[]): AsyncGenerator<JournalItem> {
  yield* items;
}

async function* counting(items: readonly JournalItem[], onPull: () => void): AsyncGenerator<JournalItem> {
  for (const item of items) {
    onPull();
    yield item;
  }
}
