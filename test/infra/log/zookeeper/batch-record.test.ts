import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchBytes, batchBytesFromStored } from '../../../../src/infra/log/batch-size.ts';
import {
  batchSchema,
  decodeBatch,
  encodeBatch,
  loggedEventsOf,
  prepareBatch,
} from '../../../../src/infra/log/zookeeper/batch-record.ts';
import { anEventToAppend, event } from '../contract-support.ts';

describe('batch znode data', () => {
  it('round-trips an append: ids kept or made, revisions from the first, positions from the sequence', () => {
    let ids = 0;
    const prepared = prepareBatch(
      'orders',
      [{ ...event('A', 1), id: 'given' }, event('B', 2)],
      () => `made-${++ids}`,
    );
    const decoded = decodeBatch(encodeBatch(prepared, 4));
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(loggedEventsOf(decoded.batch, 3)).toEqual([
      { ...event('A', 1), id: 'given', stream: 'orders', revision: 4, position: 3_000_001 },
      { ...event('B', 2), id: 'made-1', stream: 'orders', revision: 5, position: 3_000_002 },
    ]);
  });

  it('says what is wrong with data that is not JSON or not a batch, without throwing', () => {
    const cases = ['{nope', '[]', '{"v":1,"stream":"s","revision":0,"events":[]}', '{"v":2}'];
    for (const text of cases) {
      const decoded = decodeBatch(Buffer.from(text));
      expect(decoded).toMatchObject({ ok: false, message: expect.any(String) });
    }
  });
});

describe('decoding batches as this log writes them', () => {
  const stored = {
    v: 1,
    stream: 'dispatch',
    revision: 3,
    events: [
      {
        id: 'e1',
        type: 'TaskAssigned',
        version: 1,
        data: { taskId: 't1', attempt: 1 },
        meta: { node: 'n1', incarnation: 2, epoch: 4, at: 10 },
      },
    ],
  };
  const mutation = fc.tuple(
    fc.constantFrom('batch', 'event', 'meta'),
    fc.constantFrom(
      'v',
      'stream',
      'revision',
      'events',
      'id',
      'type',
      'version',
      'data',
      'meta',
      'node',
      'incarnation',
      'epoch',
      'causationId',
      'at',
      'other',
    ),
    fc.oneof(fc.anything(), fc.constant(undefined), fc.constantFrom(0, -1, 1.5, '', 'x', [], {}, null)),
  );

  it('agrees with the zod schema on any batch, changed in one place', () => {
    fc.assert(
      fc.property(mutation, ([where, key, value]) => {
        const batch = structuredClone(stored) as Record<string, unknown>;
        const first = (batch.events as Record<string, unknown>[])[0] as Record<string, unknown>;
        const target =
          where === 'batch' ? batch : where === 'event' ? first : (first.meta as Record<string, unknown>);
        target[key] = value;
        const text = JSON.stringify(batch);
        const decoded = decodeBatch(Buffer.from(text));
        const reference = batchSchema.safeParse(JSON.parse(text));
        expect(decoded.ok).toBe(reference.success);
        if (decoded.ok && reference.success) expect(decoded.batch).toEqual(reference.data);
      }),
      { numRuns: 500 },
    );
  });
});

describe("the contract's measure of a batch", () => {
  it('comes out of the encoded batch the same as from a JSON.stringify of the events', () => {
    fc.assert(
      fc.property(
        fc.array(anEventToAppend, { minLength: 1, maxLength: 8 }),
        fc.string({ minLength: 1 }),
        (events, made) => {
          const prepared = prepareBatch('s', events, () => `${made}-id`);
          expect(batchBytesFromStored(events, prepared.eventsJson, prepared.ids)).toBe(batchBytes(events));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('cannot be told from the encoded batch when an event carries fields of its own', () => {
    const events = [{ ...event('A', 1), extra: 'x' }];
    const prepared = prepareBatch('s', events, () => 'id');
    expect(batchBytesFromStored(events, prepared.eventsJson, prepared.ids)).toBeUndefined();
  });
});
