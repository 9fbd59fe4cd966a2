import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bodyCrc,
  crcUpdate,
  crcZeros,
  finish,
  skipZeros,
  zerosSkipper,
} from '../../../src/infra/journal/line-crc.ts';

describe('bodyCrc', () => {
  it('is zlib.crc32 of the bytes followed by a closing brace, wherever they sit in a chunk', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (chunk, a, b) => {
        const start = chunk.length === 0 ? 0 : a % (chunk.length + 1);
        const end = start + (chunk.length === 0 ? 0 : b % (chunk.length - start + 1));
        const body = Buffer.concat([chunk.subarray(start, end), Buffer.from('}')]);
        expect(bodyCrc(chunk, start, end)).toBe(crc32(body));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('crcUpdate and crcZeros', () => {
  it('let a known run of bytes be skipped: the register after X then Y is that after X and |Y| zeros, XOR Y from 0', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }), (x, y) => {
        const whole = Buffer.concat([x, y]);
        const skipped = crcZeros(crcUpdate(-1, x, 0, x.length), y.length) ^ crcUpdate(0, y, 0, y.length);
        expect(finish(skipped)).toBe(finish(crcUpdate(-1, whole, 0, whole.length)));
        expect(finish(skipped)).toBe(crc32(Buffer.concat([whole, Buffer.from('}')])));
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('zerosSkipper', () => {
  it('moves any register over its count of zeros as crcZeros does', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5_000 }),
        fc.array(fc.integer(), { minLength: 1, maxLength: 20 }),
        (count, registers) => {
          const skip = zerosSkipper(count);
          for (const register of registers) expect(skipZeros(skip, register)).toBe(crcZeros(register, count));
        },
      ),
      { numRuns: 200 },
    );
  });
});
