/**
 * Replay merges journals in batches (mergeJournalBatches), waiting only when a journal's batch runs
 * out. It must give the items, in the order, that the one-item-at-a-time merge gives, anomalies
 * where their journal reaches them, each tagged with the journal it came from.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeJournalBatches, mergeJournalItems } from '../../../src/infra/journal/merge-journals.ts';
import type { JournalItem } from '../../../src/infra/journal/read-journal.ts';

const item = (node: string) =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({ seq: fc.nat(5), at: fc.nat(20) }).map(
        ({ seq, at }): JournalItem => ({
          kind: 'entry',
          seq,
          event: { type: 'T', version: 1, data: {}, meta: { node, incarnation: 1, at } },
          location: { source: node },
        }),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.string({ maxLength: 3 }).map(
        (message): JournalItem => ({
          kind: 'anomaly',
          anomaly: { kind: 'torn_line', message, location: { source: node } },
        }),
      ),
    },
  );

/** A journal as items, cut into batches at `cuts` (empty batches included). */
const journal = (node: string) =>
  fc.record({ items: fc.array(item(node), { maxLength: 12 }), cuts: fc.array(fc.nat(12), { maxLength: 4 }) });

function batches(items: readonly JournalItem[], cuts: readonly number[]): JournalItem[][] {
  const at = [...new Set(cuts.map((cut) => Math.min(cut, items.length)))].sort((a, b) => a - b);
  const result: JournalItem[][] = [];
  let from = 0;
  for (const cut of [...at, items.length]) {
    result.push(items.slice(from, Math.max(from, cut)));
    from = Math.max(from, cut);
  }
  return result;
}

async function* fromArray<T>(values: readonly T[]): AsyncGenerator<T> {
  yield* values;
}

describe('merging journals in batches', () => {
  it('gives the items of the one-at-a-time merge, in its order, each with its journal', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(journal('n'), { maxLength: 4 }), async (journals) => {
        const named = journals.map((j, i) => ({
          ...j,
          items: j.items.map((entry) =>
            entry.kind === 'entry'
              ? { ...entry, event: { ...entry.event, meta: { ...entry.event.meta, node: `n${i}` } } }
              : entry,
          ),
        }));
        const expected: JournalItem[] = [];
        for await (const entry of mergeJournalItems(named.map((j) => fromArray(j.items))))
          expected.push(entry);
        const actual: JournalItem[] = [];
        const from: number[] = [];
        for await (const batch of mergeJournalBatches(
          named.map((j) => fromArray(batches(j.items, j.cuts))),
        )) {
          actual.push(...batch.items);
          from.push(...batch.from);
        }
        expect(actual).toEqual(expected);
        for (const [i, entry] of actual.entries()) expect(named[from[i] as number]?.items).toContain(entry);
      }),
      { numRuns: 300 },
    );
  });
});
