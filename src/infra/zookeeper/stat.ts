/**
 * Decoding of the library's Stat (8-byte Buffers for longs) into ZkStat. The library's typings also
 * claim a Stat is always there; callers of these functions must have checked for absence first.
 */
import type zookeeper from 'node-zookeeper-client';
import type { ZkStat } from './types.ts';

const NO_OWNER = '0000000000000000';

function long(buffer: Buffer): bigint {
  return buffer.readBigInt64BE(0);
}

/** The ZkStat of a raw Stat received from the server. */
export function toZkStat(raw: zookeeper.Stat): ZkStat {
  const owner = raw.ephemeralOwner.toString('hex');
  return {
    czxid: long(raw.czxid),
    mzxid: long(raw.mzxid),
    pzxid: long(raw.pzxid),
    ctime: Number(long(raw.ctime)),
    mtime: Number(long(raw.mtime)),
    version: raw.version,
    cversion: raw.cversion,
    aversion: raw.aversion,
    ephemeralOwner: owner === NO_OWNER ? null : owner,
    dataLength: raw.dataLength,
    numChildren: raw.numChildren,
  };
}

/** The data of a znode as a Buffer: the library gives `undefined` for a znode created without data. */
export function toData(raw: Buffer | undefined | null): Buffer {
  return raw ?? Buffer.alloc(0);
}

/** A Buffer for data given as a Buffer or a UTF-8 string. */
export function toBuffer(data: Buffer | string | undefined): Buffer | undefined {
  if (data === undefined) return undefined;
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}
