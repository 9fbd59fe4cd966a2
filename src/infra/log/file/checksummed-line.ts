/**
 * One JSON object per line with a CRC-32 of its own content, so a flipped bit or a zeroed block is
 * detected, while the line stays plain JSON for `jq`.
 *
 * Format: the object's JSON with `,"crc":"<8 hex>"` inserted before its closing brace, then "\n".
 * The CRC covers the UTF-8 bytes of the object's JSON WITHOUT the crc field, exactly as written:
 * a reader strips the fixed-size suffix, puts the brace back and checks those bytes. No
 * re-serialisation is involved, so the check does not depend on how JSON.stringify orders or escapes.
 * Shared by the file task log and the node journal.
 */
import { crc32 } from 'node:zlib';

const SUFFIX_PATTERN = /^,"crc":"([0-9a-f]{8})"\}$/;
const SUFFIX_LENGTH = ',"crc":"00000000"}'.length;
/** Bytes a line holds beyond its object's JSON: `,"crc":"…"` and the "\n". */
export const LINE_OVERHEAD_BYTES = SUFFIX_LENGTH;
const CLOSING_BRACE = Buffer.from('}', 'utf8');

export type LineProblem = 'not_a_record' | 'checksum_mismatch';

export type LineDecoding =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly problem: LineProblem; readonly message: string };

/** Encodes a non-empty plain object as one checksummed line, "\n" included. */
export function encodeChecksummedLine(body: object): Buffer {
  const json = JSON.stringify(body);
  if (!json.startsWith('{') || json === '{}') {
    throw new TypeError('a checksummed line holds a non-empty JSON object');
  }
  return Buffer.from(`${json.slice(0, -1)},"crc":"${hex(crc32(json))}"}\n`, 'utf8');
}

/** Checks and parses one line (without its "\n"). */
export function decodeChecksummedLine(line: Buffer): LineDecoding {
  if (line.length <= SUFFIX_LENGTH + 1) {
    return { ok: false, problem: 'not_a_record', message: `line of ${line.length} bytes is too short` };
  }
  const suffix = SUFFIX_PATTERN.exec(line.subarray(line.length - SUFFIX_LENGTH).toString('latin1'));
  if (suffix === null) {
    return { ok: false, problem: 'not_a_record', message: 'line does not end with a crc field' };
  }
  const body = Buffer.concat([line.subarray(0, line.length - SUFFIX_LENGTH), CLOSING_BRACE]);
  const actual = hex(crc32(body));
  if (actual !== suffix[1]) {
    return {
      ok: false,
      problem: 'checksum_mismatch',
      message: `crc32 is ${actual}, the line says ${String(suffix[1])}`,
    };
  }
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) };
  } catch (error) {
    // Only reachable if a writer stored bad JSON with a matching checksum.
    return { ok: false, problem: 'not_a_record', message: `checksummed but not JSON: ${String(error)}` };
  }
}

function hex(value: number): string {
  return value.toString(16).padStart(8, '0');
}
