/**
 * The file log's record parser checks the usual record by hand and leaves the rest to zod: it must
 * say what the zod schema says, on any record changed in one place.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logRecordSchema, parseLogRecord } from '../../../src/infra/log/file/log-record.ts';

const record = {
  seq: 3,
  stream: 'dispatch',
  events: [
    {
      id: 'e1',
      revision: 4,
      position: 9,
      type: 'A',
      version: 1,
      data: { n: 1 },
      meta: { node: 'n1', incarnation: 2, at: 5 },
    },
    {
      id: 'e2',
      revision: 5,
      position: 10,
      type: 'B',
      version: 1,
      data: null,
      meta: { node: 'n1', incarnation: 2, epoch: 1, at: 6 },
    },
  ],
  crc: '0badf00d',
};

const mutation = fc.tuple(
  fc.constantFrom('record', 'event', 'meta'),
  fc.constantFrom(
    'seq',
    'stream',
    'events',
    'crc',
    'id',
    'revision',
    'position',
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
  fc.oneof(fc.anything(), fc.constant(undefined), fc.constantFrom(0, -1, 1, 1.5, 10, '', 'x', [], {}, null)),
);

describe('file log records', () => {
  it('are parsed as the zod schema parses them, whatever one field holds', () => {
    fc.assert(
      fc.property(mutation, fc.boolean(), ([where, key, value], second) => {
        const changed = structuredClone(record) as Record<string, unknown>;
        const event = (changed.events as Record<string, unknown>[])[second ? 1 : 0] as Record<
          string,
          unknown
        >;
        const target =
          where === 'record' ? changed : where === 'event' ? event : (event.meta as Record<string, unknown>);
        target[key] = value;
        const value2 = JSON.parse(JSON.stringify(changed));
        const parsed = parseLogRecord(value2);
        const reference = logRecordSchema.safeParse(value2);
        expect(parsed.ok).toBe(reference.success);
        if (parsed.ok && reference.success) expect(parsed.record).toEqual(reference.data);
      }),
      { numRuns: 1000 },
    );
  });

  it('drop the crc a written line carries, as a read line does not have it', () => {
    const parsed = parseLogRecord(structuredClone(record));
    expect(parsed.ok && Object.keys(parsed.record)).toEqual(['seq', 'stream', 'events']);
  });
});
