import { ANY, NO_STREAM, START, STREAM_EXISTS } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { TaskdError } from '../../../../src/errors.ts';
import {
  isAfter,
  readPositionAfter,
  toPortPosition,
} from '../../../../src/infra/log/eventstoredb/positions.ts';
import {
  fromAppendExpectedRevision,
  fromCurrentRevision,
  toAppendExpectedRevision,
} from '../../../../src/infra/log/eventstoredb/revisions.ts';
import {
  fromEsdbStream,
  streamPrefix,
  toEsdbStream,
} from '../../../../src/infra/log/eventstoredb/stream-names.ts';

/** The TaskdError code `action` throws (or whatever else it throws). */
function codeOf(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error instanceof TaskdError ? error.code : error;
  }
  return 'nothing thrown';
}

describe('expected revisions', () => {
  it('map the port words to the client constants and numbers to bigints', () => {
    expect(toAppendExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toAppendExpectedRevision('exists')).toBe(STREAM_EXISTS);
    expect(toAppendExpectedRevision('any')).toBe(ANY);
    expect(toAppendExpectedRevision(0)).toBe(0n);
    expect(toAppendExpectedRevision(41)).toBe(41n);
  });

  it('map back from the client, so a conflict names what was expected', () => {
    expect(fromAppendExpectedRevision(NO_STREAM)).toBe('no_stream');
    expect(fromAppendExpectedRevision(STREAM_EXISTS)).toBe('exists');
    expect(fromAppendExpectedRevision(ANY)).toBe('any');
    expect(fromAppendExpectedRevision(41n)).toBe(41);
  });

  it('reject a negative or fractional revision with VALIDATION before anything is sent', () => {
    expect(codeOf(() => toAppendExpectedRevision(-1))).toBe('VALIDATION');
    expect(codeOf(() => toAppendExpectedRevision(1.5))).toBe('VALIDATION');
  });

  it('read a missing stream as no_stream, also in the -1 form of older servers', () => {
    expect(fromCurrentRevision(NO_STREAM)).toBe('no_stream');
    expect(fromCurrentRevision(-1n)).toBe('no_stream');
    expect(fromCurrentRevision(6n)).toBe(6);
  });
});

describe('global positions', () => {
  it('are the commit position as a number, and fail loudly beyond 2^53', () => {
    expect(toPortPosition(123_456n)).toBe(123_456);
    expect(toPortPosition(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(codeOf(() => toPortPosition(BigInt(Number.MAX_SAFE_INTEGER) + 1n))).toBe('LOG_CORRUPT');
  });

  it('start a read at the record of the position given, or at the start of $all', () => {
    expect(readPositionAfter(undefined)).toBe(START);
    expect(readPositionAfter(0)).toBe(START);
    expect(readPositionAfter(4_096)).toEqual({ commit: 4_096n, prepare: 4_096n });
    expect(codeOf(() => readPositionAfter(1.5))).toBe('VALIDATION');
  });

  it('count as after only when strictly greater, since the server starts reads inclusively', () => {
    expect(isAfter(4_096, 4_096)).toBe(false);
    expect(isAfter(4_097, 4_096)).toBe(true);
    expect(isAfter(1, undefined)).toBe(true);
  });
});

describe('stream names', () => {
  it('put the cluster in a prefix and strip it on the way back', () => {
    const prefix = streamPrefix('prod-eu');
    expect(toEsdbStream(prefix, 'runner-n1')).toBe('taskd-prod-eu:runner-n1');
    expect(fromEsdbStream(prefix, 'taskd-prod-eu:runner-n1')).toBe('runner-n1');
  });

  it('keep clusters whose names extend one another apart', () => {
    expect(
      fromEsdbStream(streamPrefix('prod'), toEsdbStream(streamPrefix('prod-eu'), 'dispatch')),
    ).toBeUndefined();
    expect(fromEsdbStream(streamPrefix('prod-eu'), toEsdbStream(streamPrefix('prod'), 'eu:dispatch'))).toBe(
      undefined,
    );
  });

  it('refuse a cluster name that would make prefixes ambiguous', () => {
    expect(codeOf(() => streamPrefix('a:b'))).toBe('CONFIG_INVALID');
    expect(codeOf(() => streamPrefix(''))).toBe('CONFIG_INVALID');
  });
});
