import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  emptySortedList,
  type SortedEntry,
  sortedDelete,
  sortedEntries,
  sortedInsert,
} from '../../../src/domain/task/sorted-list.ts';

const op = fc.record({ insert: fc.boolean(), key: fc.integer({ min: 0, max: 50 }), seq: fc.nat(400) });

describe('SortedList', () => {
  it('behaves like a sorted array of (key, seq) under any sequence of inserts and deletes', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 600 }), (ops) => {
        let model: SortedEntry[] = [];
        let list = emptySortedList();
        for (const { insert, key, seq } of ops) {
          const present = model.some((e) => e.key === key && e.seq === seq);
          if (insert && !present) {
            model = [...model, { key, seq, taskId: `${key}/${seq}` }];
            list = sortedInsert(list, { key, seq, taskId: `${key}/${seq}` });
          } else if (!insert) {
            model = model.filter((e) => e.key !== key || e.seq !== seq);
            list = sortedDelete(list, key, seq);
          }
        }
        model.sort((a, b) => a.key - b.key || a.seq - b.seq);
        expect([...sortedEntries(list)]).toEqual(model);
        expect(list.size).toBe(model.length);
      }),
    );
  });

  it('stays sorted through thousands of entries (pages split and go), appended mostly at the end', () => {
    const bulk = fc.array(
      fc.record({ insert: fc.nat(9).map((n) => n < 7), key: fc.nat(40), seq: fc.nat(9_000) }),
      { minLength: 4_000, maxLength: 9_000 },
    );
    let mostPages = 0;
    fc.assert(
      fc.property(bulk, (ops) => {
        const model = new Map<string, SortedEntry>();
        let list = emptySortedList();
        let clock = 0;
        for (const [i, { insert, key, seq }] of ops.entries()) {
          // Keys that grow, as finishing times do, with a few late ones; deletes of what is there.
          clock += key % 3;
          const entry = { key: key < 4 ? key : clock, seq: insert ? i : seq, taskId: `${i}` };
          const id = `${entry.key}/${entry.seq}`;
          if (insert) {
            model.set(id, entry);
            list = sortedInsert(list, entry);
          } else {
            const victim = [...model.values()][seq % Math.max(1, model.size)];
            if (victim === undefined) continue;
            model.delete(`${victim.key}/${victim.seq}`);
            list = sortedDelete(list, victim.key, victim.seq);
          }
        }
        const sorted = [...model.values()].sort((a, b) => a.key - b.key || a.seq - b.seq);
        expect([...sortedEntries(list)]).toEqual(sorted);
        expect(list.size).toBe(sorted.length);
        mostPages = Math.max(mostPages, list.pages.length);
        for (const page of list.pages) {
          expect(page.length).toBeGreaterThan(0);
          for (const chunk of page) expect(chunk.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 15 },
    );
    expect(mostPages).toBeGreaterThan(1);
  });

  it('leaves the list it updates untouched, and gives the same list back for a missing entry', () => {
    const one = sortedInsert(emptySortedList(), { key: 1, seq: 1, taskId: 'a' });
    const two = sortedInsert(one, { key: 0, seq: 2, taskId: 'b' });
    expect([...sortedEntries(one)].map((e) => e.taskId)).toEqual(['a']);
    expect([...sortedEntries(two)].map((e) => e.taskId)).toEqual(['b', 'a']);
    expect(sortedDelete(two, 5, 5)).toBe(two);
  });
});
