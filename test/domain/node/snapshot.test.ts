/**
 * canonicalJson builds its sorted copy key by key (it runs for every task of the fold at each
 * checkpoint): it must give exactly what the entries / sort / fromEntries form it replaced gave, or
 * checkpoints journaled before would no longer match in replay.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, type Json } from '../../../src/domain/node/snapshot.ts';

/** The earlier canonicalJson, kept as the reference. */
function reference(value: unknown): Json {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : reference(item)));
  if (value instanceof Map) return reference(Object.fromEntries(value));
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, item]) => [key, reference(item)] as const);
    return Object.fromEntries(entries);
  }
  return null;
}

const key = fc.oneof(
  fc.string(),
  fc.nat().map(String),
  fc.constantFrom('__proto__', 'constructor', '4294967295', '01', '-1', ''),
);
const plain = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, undefined, true, false, 0, -0, Number.NaN, Number.NEGATIVE_INFINITY, 1e21),
    fc.double(),
    fc.string(),
    fc.constantFrom(() => 1, Symbol('s'), 10n),
    fc.array(tie('value')),
    fc.dictionary(key, tie('value')),
    fc.array(fc.tuple(key, tie('value'))).map((entries) => new Map(entries)),
  ),
})).value;

describe('canonicalJson', () => {
  it('gives the same text as the entries-based form, for any value', () => {
    fc.assert(
      fc.property(plain, (value) => {
        // The text is what is hashed; it also shows every key, in order, at every level.
        expect(JSON.stringify(canonicalJson(value))).toBe(JSON.stringify(reference(value)));
      }),
      { numRuns: 1_000 },
    );
  });

  it('keeps "__proto__" as an own key, not as the prototype', () => {
    const copy = canonicalJson(JSON.parse('{"b":1,"__proto__":{"x":2}}')) as Record<string, Json>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"x":2},"b":1}');
  });
});
