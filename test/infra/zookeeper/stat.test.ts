import { describe, expect, it } from 'vitest';
import { toData, toZkStat } from '../../../src/infra/zookeeper/stat.ts';

const long = (value: bigint) => {
  const buffer = Buffer.alloc(8);
  buffer.writeBigInt64BE(value);
  return buffer;
};

const raw = {
  czxid: long(0x1_0000_0002n),
  mzxid: long(0x1_0000_0005n),
  pzxid: long(7n),
  ctime: long(1_700_000_000_000n),
  mtime: long(1_700_000_000_500n),
  version: 3,
  cversion: 1,
  aversion: 0,
  ephemeralOwner: long(0n),
  dataLength: 4,
  numChildren: 1,
};

describe('toZkStat', () => {
  it('decodes zxids as bigints and times as epoch milliseconds', () => {
    const stat = toZkStat(raw);
    expect(stat).toMatchObject({ czxid: 0x1_0000_0002n, mzxid: 0x1_0000_0005n, pzxid: 7n, version: 3 });
    expect(stat.ctime).toBe(1_700_000_000_000);
    expect(stat.mtime).toBe(1_700_000_000_500);
  });

  it('names the owner of an ephemeral node in hex, and none for a persistent one', () => {
    expect(toZkStat(raw).ephemeralOwner).toBeNull();
    expect(toZkStat({ ...raw, ephemeralOwner: long(0x1234n) }).ephemeralOwner).toBe('0000000000001234');
  });
});

describe('toData', () => {
  it('turns the undefined data of an empty znode into an empty buffer', () => {
    expect(toData(undefined)).toEqual(Buffer.alloc(0));
    expect(toData(Buffer.from('x')).toString()).toBe('x');
  });
});
