/**
 * CRC-32 (zlib's: reflected polynomial 0xedb88320) of a checksummed line's body, computed in place
 * over the chunk it sits in. In JS, sixteen bytes a step ("slicing by 16"): for journal lines of a
 * few hundred bytes this is faster than zlib.crc32, whose call and the typed-array view it needs
 * cost more than the sum itself (bench/replay.ts spent a fifth of its reading time there).
 */

const SLICES = 16;
const BRACE = 0x7d;

/** TABLE[k * 256 + b]: the CRC of byte b followed by k zero bytes. */
const TABLE = new Int32Array(256 * SLICES);
for (let byte = 0; byte < 256; byte++) {
  let c = byte;
  for (let bit = 0; bit < 8; bit++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  TABLE[byte] = c;
}
for (let byte = 0; byte < 256; byte++) {
  for (let k = 1; k < SLICES; k++) {
    const previous = TABLE[(k - 1) * 256 + byte] as number;
    TABLE[k * 256 + byte] = (previous >>> 8) ^ (TABLE[previous & 0xff] as number);
  }
}

/**
 * The CRC-32 of `bytes[start, end)` followed by "}": what a checksummed line states for the body
 * that ends where its crc field begins (checksummed-line.ts puts the brace back the same way).
 */
export function bodyCrc(bytes: Uint8Array, start: number, end: number): number {
  return finish(crcUpdate(-1, bytes, start, end));
}

/** The stated CRC-32 of a body whose register after its last byte is `register` ("}" still to come). */
export function finish(register: number): number {
  return ~((TABLE[(register ^ BRACE) & 0xff] as number) ^ (register >>> 8)) >>> 0;
}

/**
 * The CRC register after `bytes[start, end)`, from `register` (-1 at the start of a sum). The
 * register is linear in what it has seen: after X then Y it is `crcZeros(after X, |Y|)` XOR the
 * register after Y from 0, which lets a known run of bytes be skipped (journal-line-template.ts).
 */
export function crcUpdate(register: number, bytes: Uint8Array, start: number, end: number): number {
  const t = TABLE;
  let c = register;
  let i = start;
  for (; i + SLICES <= end; i += SLICES) {
    const a =
      c ^
      ((bytes[i] as number) |
        ((bytes[i + 1] as number) << 8) |
        ((bytes[i + 2] as number) << 16) |
        ((bytes[i + 3] as number) << 24));
    c =
      (t[3840 + (a & 0xff)] as number) ^
      (t[3584 + ((a >>> 8) & 0xff)] as number) ^
      (t[3328 + ((a >>> 16) & 0xff)] as number) ^
      (t[3072 + (a >>> 24)] as number) ^
      (t[2816 + (bytes[i + 4] as number)] as number) ^
      (t[2560 + (bytes[i + 5] as number)] as number) ^
      (t[2304 + (bytes[i + 6] as number)] as number) ^
      (t[2048 + (bytes[i + 7] as number)] as number) ^
      (t[1792 + (bytes[i + 8] as number)] as number) ^
      (t[1536 + (bytes[i + 9] as number)] as number) ^
      (t[1280 + (bytes[i + 10] as number)] as number) ^
      (t[1024 + (bytes[i + 11] as number)] as number) ^
      (t[768 + (bytes[i + 12] as number)] as number) ^
      (t[512 + (bytes[i + 13] as number)] as number) ^
      (t[256 + (bytes[i + 14] as number)] as number) ^
      (t[bytes[i + 15] as number] as number);
  }
  for (; i < end; i++) c = (t[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return c;
}

/** The register after `count` zero bytes from `register`: four lookups per sixteen bytes (zeros add nothing of their own). */
export function crcZeros(register: number, count: number): number {
  const t = TABLE;
  let c = register;
  let left = count;
  for (; left >= SLICES; left -= SLICES) {
    c =
      (t[3840 + (c & 0xff)] as number) ^
      (t[3584 + ((c >>> 8) & 0xff)] as number) ^
      (t[3328 + ((c >>> 16) & 0xff)] as number) ^
      (t[3072 + (c >>> 24)] as number);
  }
  for (; left > 0; left--) c = (t[c & 0xff] as number) ^ (c >>> 8);
  return c;
}

/**
 * `crcZeros(register, count)` as four lookups, for a `count` met again and again (a template's
 * length): four tables of 256 registers, one per byte of the register, each already moved on.
 */
export function zerosSkipper(count: number): Int32Array {
  const columns = new Int32Array(32);
  for (let bit = 0; bit < 32; bit++) columns[bit] = crcZeros(1 << bit, count);
  const skip = new Int32Array(4 * 256);
  for (let part = 0; part < 4; part++) {
    const table = part * 256;
    for (let value = 1; value < 256; value++) {
      const low = 31 - Math.clz32(value & -value); // the lowest bit set
      skip[table + value] =
        (skip[table + (value & (value - 1))] as number) ^ (columns[part * 8 + low] as number);
    }
  }
  return skip;
}

/** The register after the zeros `skip` (from zerosSkipper) stands for, from `register`. */
export function skipZeros(skip: Int32Array, register: number): number {
  return (
    (skip[register & 0xff] as number) ^
    (skip[256 + ((register >>> 8) & 0xff)] as number) ^
    (skip[512 + ((register >>> 16) & 0xff)] as number) ^
    (skip[768 + (register >>> 24)] as number)
  );
}
