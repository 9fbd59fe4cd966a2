import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, hasCode } from '../../../../src/errors.ts';
import {
  decodeStreamName,
  defaultRoot,
  encodeStreamName,
  logLayout,
  parseBatchName,
} from '../../../../src/infra/log/zookeeper/znode-names.ts';

const thrown = (action: () => unknown): unknown => {
  try {
    action();
    return undefined;
  } catch (error) {
    return error;
  }
};

describe('stream names as znode names', () => {
  it('keeps letters, digits, "_" and "-", and percent-encodes every other UTF-8 byte', () => {
    expect(encodeStreamName('runner-node_1')).toBe('runner-node_1');
    expect(encodeStreamName('a/b.c~d%')).toBe('a%2Fb%2Ec%7Ed%25');
    expect(encodeStreamName('é')).toBe('%C3%A9');
  });

  it('gives every stream a safe, distinct name that decodes back to it', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
        fc.string({ minLength: 1 }),
        (a, b) => {
          const encoded = encodeStreamName(a);
          expect(encoded).toMatch(/^[A-Za-z0-9_%-]+$/);
          expect(decodeStreamName(encoded)).toBe(a);
          if (a !== b && !/[\uD800-\uDFFF]/u.test(b)) expect(encodeStreamName(b)).not.toBe(encoded);
        },
      ),
    );
  });

  it('refuses an empty name, a lone surrogate and a name too long to list', () => {
    for (const name of ['', 'x\uDC00', 'é'.repeat(200)]) {
      expect(
        hasCode(
          thrown(() => encodeStreamName(name)),
          ErrorCodes.VALIDATION,
        ),
      ).toBe(true);
    }
  });
});

describe('batch znode names', () => {
  it('split at the "~" into the encoded stream and the 10-digit sequence', () => {
    expect(parseBatchName('a%2Fb~0000000042')).toEqual({
      name: 'a%2Fb~0000000042',
      encodedStream: 'a%2Fb',
      sequence: 42,
    });
  });

  it('are the sequence alone after the "~" as this log writes them now', () => {
    expect(parseBatchName('~0000000007')).toEqual({ name: '~0000000007', encodedStream: '', sequence: 7 });
  });

  it('are not recognised without a separator or ten digits, or once the counter overflowed', () => {
    for (const name of ['a0000000001', 'a~123', 'a~-000000001', 'a.b~0000000001', '~0000000001x']) {
      expect(parseBatchName(name)).toBeUndefined();
    }
  });
});

describe('the log root', () => {
  it('defaults to /taskd/<cluster>/log and lays the log out beneath it', () => {
    expect(logLayout(defaultRoot('prod-1'))).toEqual({
      root: '/taskd/prod-1/log',
      events: '/taskd/prod-1/log/events',
      streams: '/taskd/prod-1/log/streams',
      snapshots: '/taskd/prod-1/log/snapshots',
      snapshotPointer: '/taskd/prod-1/log/snapshot',
      tip: '/taskd/prod-1/log/tip',
    });
  });

  it('refuses a cluster name or root that cannot be a znode path', () => {
    for (const make of [
      () => defaultRoot('a/b'),
      () => defaultRoot(''),
      () => logLayout('rel/x'),
      () => logLayout('/a//b'),
      () => logLayout('/a/..'),
    ]) {
      expect(hasCode(thrown(make), ErrorCodes.CONFIG_INVALID)).toBe(true);
    }
  });
});
