/**
 * The file log measures an append against the batch limit off the line it writes (one encoding per
 * append): that must give what batchBytes gives for the events as the caller passed them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchBytes } from '../../../src/infra/log/batch-size.ts';
import { encodeChecksummedLine } from '../../../src/infra/log/file/checksummed-line.ts';
import { recordOf } from '../../../src/infra/log/file/log-record.ts';
import { appendBytesInLine } from '../../../src/infra/log/file/record-measure.ts';
import type { EventToAppend } from '../../../src/infra/log/port.ts';
import { anEventToAppend, event } from './contract-support.ts';

/** The line a writer makes of `given`, with ids made for the events that have none. */
function lineOf(
  given: readonly EventToAppend[],
  stream: string,
  at: { seq: number; revision: number; position: number },
) {
  const events = given.map((e, i) => ({ ...e, id: e.id ?? `made-${i}` }));
  const record = recordOf(stream, events, at);
  return { record, line: encodeChecksummedLine(record) };
}

describe("the contract's measure of a file log append", () => {
  it('comes out of the written line the same as from a JSON.stringify of the events', () => {
    fc.assert(
      fc.property(
        fc.array(anEventToAppend, { minLength: 1, maxLength: 8 }),
        fc.string({ minLength: 1 }),
        fc.record({ seq: fc.integer({ min: 1 }), revision: fc.nat(), position: fc.integer({ min: 1 }) }),
        (given, stream, at) => {
          const { record, line } = lineOf(given, stream, at);
          expect(appendBytesInLine(line, record, given)).toBe(batchBytes(given));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('cannot be told from the line when an event carries fields of its own', () => {
    const given = [{ ...event('A', 1), extra: 'x' }];
    const { record, line } = lineOf(given, 's', { seq: 1, revision: 0, position: 1 });
    expect(appendBytesInLine(line, record, given)).toBeUndefined();
  });
});
