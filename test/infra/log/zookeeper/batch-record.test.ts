import { describe, expect, it } from 'vitest';
import {
  decodeBatch,
  encodeBatch,
  loggedEventsOf,
  prepareBatch,
} from '../../../../src/infra/log/zookeeper/batch-record.ts';
import { event } from '../contract-support.ts';

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
