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

  it('leaves the list it updates untouched, and gives the same list back for a missing entry', () => {
    const one = sortedInsert(emptySortedList(), { key: 1, seq: 1, taskId: 'a' });
    const two = sortedInsert(one, { key: 0, seq: 2, taskId: 'b' });
    expect([...sortedEntries(one)].map((e) => e.taskId)).toEqual(['a']);
    expect([...sortedEntries(two)].map((e) => e.taskId)).toEqual(['b', 'a']);
    expect(sortedDelete(two, 5, 5)).toBe(two);
  });
});
