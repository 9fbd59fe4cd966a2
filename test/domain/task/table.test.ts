import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/domain/node/snapshot.ts';
import { emptyTable, tableDelete, tableGet, tableSet, tableValues } from '../../../src/domain/task/table.ts';

/** What a state checkpoint hashes of a value. */
const canonicalText = (value: unknown) => JSON.stringify(canonicalJson(value));

type Op = { readonly set: boolean; readonly key: string; readonly value: number };
const ops = fc.array(
  fc.record({ set: fc.boolean(), key: fc.string({ maxLength: 3 }), value: fc.integer() }),
  { maxLength: 200 },
);

describe('Table', () => {
  it('behaves like a Map under any sequence of sets and deletes', () => {
    fc.assert(
      fc.property(ops, (sequence: Op[]) => {
        const model = new Map<string, number>();
        let table = emptyTable<number>();
        for (const op of sequence) {
          if (op.set) {
            model.set(op.key, op.value);
            table = tableSet(table, op.key, op.value);
          } else {
            model.delete(op.key);
            table = tableDelete(table, op.key);
          }
        }
        expect(table.size).toBe(model.size);
        for (const [key, value] of model) expect(tableGet(table, key)).toBe(value);
        expect([...tableValues(table)].sort()).toEqual([...model.values()].sort());
      }),
    );
  });

  it('has a shape of its keys alone: any history of sets and deletes hashes as a fresh build of its entries', () => {
    // Enough keys for leaves to split two levels down and collapse again as deletes empty them.
    const many = fc.array(
      fc.record({ set: fc.nat(4).map((n) => n < 3), key: fc.nat(1_500).map(String), value: fc.nat(3) }),
      { minLength: 500, maxLength: 3_000 },
    );
    fc.assert(
      fc.property(many, (sequence) => {
        const model = new Map<string, number>();
        let table = emptyTable<number>();
        for (const op of sequence) {
          if (op.set) model.set(op.key, op.value);
          else model.delete(op.key);
          table = op.set ? tableSet(table, op.key, op.value) : tableDelete(table, op.key);
        }
        let fresh = emptyTable<number>();
        for (const [key, value] of [...model].sort()) fresh = tableSet(fresh, key, value);
        expect(canonicalText(table)).toBe(canonicalText(fresh));
        expect(table.size).toBe(model.size);
      }),
      { numRuns: 30 },
    );
  });

  it('leaves the table it updates untouched', () => {
    const before = tableSet(emptyTable<number>(), 'a', 1);
    const after = tableDelete(tableSet(before, 'b', 2), 'a');
    expect(tableGet(before, 'a')).toBe(1);
    expect(tableGet(before, 'b')).toBeUndefined();
    expect(tableGet(after, 'a')).toBeUndefined();
  });

  it('returns the same table when nothing changes', () => {
    const table = tableSet(emptyTable<number>(), 'a', 1);
    expect(tableSet(table, 'a', 1)).toBe(table);
    expect(tableDelete(table, 'zz')).toBe(table);
  });
});
