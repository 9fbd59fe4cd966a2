import type { EventData } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { hasCode } from '../../../../src/errors.ts';
import { nameBasedUuid } from '../../../../src/infra/log/eventstoredb/event-ids.ts';
import {
  decodeRecord,
  encodeEvents,
  type StoredRecord,
} from '../../../../src/infra/log/eventstoredb/event-mapping.ts';
import { positionedRecord } from '../../../../src/infra/log/eventstoredb/resolved-events.ts';
import { streamPrefix } from '../../../../src/infra/log/eventstoredb/stream-names.ts';
import type { EventToAppend } from '../../../../src/infra/log/port.ts';

const prefix = streamPrefix('blue');
const meta = { node: 'n1', incarnation: 2, epoch: 7, causationId: 'c-1', at: 1_700_000_000_000 };
const submitted: EventToAppend = {
  id: '0b7f3d0e-1c2a-4e5b-8f6d-9a0b1c2d3e4f',
  type: 'TaskSubmitted',
  version: 1,
  data: { taskId: 't1', handler: 'noop' },
  meta,
};

/** What the server stores and the client hands back for an event we encoded: JSON through the wire. */
function stored(event: EventData, streamId: string, revision: bigint, commit: bigint): StoredRecord {
  return {
    streamId,
    id: event.id,
    revision,
    type: event.type,
    isJson: event.contentType === 'application/json',
    data: JSON.parse(JSON.stringify(event.data)),
    metadata: JSON.parse(JSON.stringify(event.metadata)),
    position: { commit, prepare: commit },
  };
}

function only<T>(items: readonly T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}

describe('encoding an event to append', () => {
  it('wraps data with its version, keeps the meta as metadata and the UUID as the event id', () => {
    const event = only(encodeEvents([submitted]));
    expect(event).toMatchObject({
      id: submitted.id,
      contentType: 'application/json',
      type: 'TaskSubmitted',
      data: { version: 1, data: { taskId: 't1', handler: 'noop' } },
      metadata: meta,
    });
    expect(event.data).not.toHaveProperty('id');
  });

  it('stores a non-UUID id as a stable name-based UUID and keeps the original in the envelope', () => {
    const first = only(encodeEvents([{ ...submitted, id: 'submit:t1' }]));
    const again = only(encodeEvents([{ ...submitted, id: 'submit:t1' }]));
    expect(first.id).toBe(nameBasedUuid('submit:t1'));
    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(again.id).toBe(first.id);
    expect(first.data).toMatchObject({ id: 'submit:t1' });
  });

  it('gives an event without an id a fresh UUID', () => {
    const [a, b] = encodeEvents([
      { ...submitted, id: undefined },
      { ...submitted, id: undefined },
    ]);
    expect(a?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a?.id).not.toBe(b?.id);
  });

  it('accepts data that is not an object, since the envelope is one', () => {
    const event = only(encodeEvents([{ ...submitted, data: 42 }]));
    expect(event.data).toEqual({ version: 1, data: 42 });
  });

  it('rejects data that is not JSON with VALIDATION', () => {
    let caught: unknown;
    try {
      encodeEvents([{ ...submitted, data: { big: 1n } }]);
    } catch (error) {
      caught = error;
    }
    expect(hasCode(caught, 'VALIDATION')).toBe(true);
  });
});

describe('decoding a stored record', () => {
  it('reads back what was appended, with stream, revision and position as numbers', () => {
    const record = stored(only(encodeEvents([submitted])), `${prefix}dispatch`, 3n, 4_096n);
    const positioned = positionedRecord({ event: record }, prefix);
    expect(positioned).toEqual({
      position: 4_096,
      decoded: {
        ok: true,
        event: {
          id: submitted.id,
          stream: 'dispatch',
          revision: 3,
          position: 4_096,
          type: 'TaskSubmitted',
          version: 1,
          data: submitted.data,
          meta,
        },
      },
    });
  });

  it('reads the original id back for an event appended with a non-UUID id', () => {
    const record = stored(
      only(encodeEvents([{ ...submitted, id: 'submit:t1' }])),
      `${prefix}submissions`,
      0n,
      9n,
    );
    const decoded = decodeRecord(record, { stream: 'submissions', position: 9 });
    expect(decoded.ok && decoded.event.id).toBe('submit:t1');
  });

  it('takes the position from the resolved event when the record has none', () => {
    const { position: _omitted, ...record } = stored(
      only(encodeEvents([submitted])),
      `${prefix}dispatch`,
      0n,
      1n,
    );
    expect(positionedRecord({ event: record, commitPosition: 777n }, prefix)?.position).toBe(777);
  });

  it('ignores events of other clusters, system streams and entries without an event', () => {
    const event = only(encodeEvents([submitted]));
    expect(
      positionedRecord({ event: stored(event, 'taskd-blue-x:dispatch', 0n, 1n) }, prefix),
    ).toBeUndefined();
    expect(
      positionedRecord({ event: stored(event, '$statistics-127.0.0.1:2113', 0n, 1n) }, prefix),
    ).toBeUndefined();
    expect(positionedRecord({ commitPosition: 5n }, prefix)).toBeUndefined();
  });

  it('refuses a read without any position as a server too old for this log', () => {
    const { position: _omitted, ...record } = stored(
      only(encodeEvents([submitted])),
      `${prefix}dispatch`,
      0n,
      1n,
    );
    expect(() => positionedRecord({ event: record }, prefix)).toThrow(/22\.10/);
    const unknown = { ...record, position: { commit: 0xffff_ffff_ffff_ffffn, prepare: 10n } };
    expect(() => positionedRecord({ event: unknown }, prefix)).toThrow(/22\.10/);
  });
});

describe('a record that cannot be parsed', () => {
  const good = stored(only(encodeEvents([submitted])), `${prefix}dispatch`, 5n, 300n);
  const cases: ReadonlyArray<[string, Partial<StoredRecord>]> = [
    ['a binary event', { isJson: false, data: new Uint8Array([1, 2]) }],
    ['malformed JSON (the client hands back the raw string)', { data: '{"version":' }],
    ['data without a version', { data: { data: {} } }],
    ['metadata that is not JSON', { metadata: new Uint8Array([0xff]) }],
    ['metadata without a node', { metadata: { incarnation: 1, at: 1 } }],
    ['metadata with an epoch that is not a number', { metadata: { ...meta, epoch: 'seven' } }],
  ];

  it.each(cases)('becomes an anomaly with its stream, revision and position: %s', (_name, broken) => {
    const decoded = decodeRecord({ ...good, ...broken }, { stream: 'dispatch', position: 300 });
    expect(decoded.ok).toBe(false);
    if (decoded.ok) return;
    expect(decoded.anomaly).toMatchObject({
      kind: 'unparseable-event',
      eventType: 'TaskSubmitted',
      location: { source: 'eventstoredb', stream: 'dispatch', revision: 5, position: 300 },
    });
  });
});
