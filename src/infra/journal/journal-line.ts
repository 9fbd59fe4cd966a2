/**
 * One journal line: a DomainEvent plus the journal's sequence number, checksummed like the file task
 * log (see checksummed-line.ts), so `jq` reads it and a flipped bit is caught.
 *
 *   {"seq":41,"type":"SessionStateChanged","version":1,"data":{…},"meta":{…},"crc":"0b1c2d3e"}
 */
import { z } from 'zod';
import type { DomainEvent } from '../../domain/event.ts';
import { ErrorCodes, TaskdError } from '../../errors.ts';
import { decodeChecksummedLine, encodeChecksummedLine } from '../log/file/checksummed-line.ts';
import type { LineView } from './chunked-lines.ts';
import type { JournalLineTemplate } from './journal-line-template.ts';
import { bodyCrc } from './line-crc.ts';
import { quickJournalRecord } from './quick-journal-record.ts';

const journalRecordSchema = z.object({
  seq: z.number().int().positive(),
  type: z.string().min(1),
  version: z.number(),
  data: z.unknown(),
  meta: z.looseObject({
    node: z.string(),
    incarnation: z.number(),
    epoch: z.number().optional(),
    causationId: z.string().optional(),
    at: z.number(),
  }),
});

export type JournalRecord = z.infer<typeof journalRecordSchema>;

export type JournalLineDecoding =
  | { readonly ok: true; readonly record: JournalRecord }
  | { readonly ok: false; readonly kind: string; readonly message: string };

/**
 * The line for `event` at `seq`, "\n" included. Throws VALIDATION when the event is not JSON or
 * would not read back as a journal record: nothing unreadable is ever written.
 */
export function encodeJournalLine(seq: number, event: DomainEvent): Buffer {
  const { type, version, data, meta } = event;
  let line: Buffer;
  try {
    line = encodeChecksummedLine({ seq, type, version, data, meta });
  } catch (error) {
    throw new TaskdError(ErrorCodes.VALIDATION, `event ${type} cannot be journaled: ${String(error)}`, {
      type,
    });
  }
  const readBack = decodeJournalLine(line.subarray(0, -1));
  if (!readBack.ok) {
    throw new TaskdError(ErrorCodes.VALIDATION, `event ${type} is no journal record: ${readBack.message}`, {
      type,
    });
  }
  return line;
}

/** Checks and parses one line (without its "\n"). */
export function decodeJournalLine(line: Buffer): JournalLineDecoding {
  const decoded = decodeChecksummedLine(line);
  if (!decoded.ok) return { ok: false, kind: decoded.problem, message: decoded.message };
  const parsed = journalRecordSchema.safeParse(decoded.value);
  if (!parsed.success) {
    return {
      ok: false,
      kind: 'invalid_shape',
      message: z.prettifyError(parsed.error).replaceAll('\n', '; '),
    };
  }
  return { ok: true, record: parsed.data };
}

// The checksummed line's tail: `,"crc":"<8 lowercase hex>"}` (see checksummed-line.ts).
const CRC_FIELD = Buffer.from(',"crc":"', 'latin1');
const SUFFIX_LENGTH = CRC_FIELD.length + 8 + 2;
const QUOTE = 0x22;
const BRACE = 0x7d;

/**
 * What `decodeJournalLineIn` made of a line: one per reader, overwritten by each line (objects per
 * line, a result and a record copied into an event, cost more than the rest of reading it).
 */
export interface LineReading {
  /** The entry's, when the line was read. */
  seq: number;
  event: DomainEvent | undefined;
  /** Why not, when it was not. */
  kind: string;
  message: string;
}

/** A LineReading to reuse. */
export function lineReading(): LineReading {
  return { seq: 0, event: undefined, kind: '', message: '' };
}

/**
 * `decodeJournalLine` for a line seen in place, without copying it: true with the entry in `into`,
 * or false with why not. The checksum is taken over the bytes where they are, then the line is
 * read through `template` when it has the usual shape, or else parsed whole (crc field included,
 * which the record then leaves out). Every line this fast path does not plainly accept goes through
 * `decodeJournalLine`, so what is rejected, and the message saying why, is exactly the same.
 */
export function decodeJournalLineIn(
  view: LineView,
  template: JournalLineTemplate,
  into: LineReading,
): boolean {
  const { bytes, start, end } = view;
  const crcAt = end - SUFFIX_LENGTH;
  if (crcAt > start + 1 && hasCrcField(bytes, crcAt, end)) {
    const stated = hexAt(bytes, crcAt + CRC_FIELD.length);
    // A line of a known template is summed by the template, which skips its own bytes.
    const known = template.read(bytes, start, end, view.text, stated);
    if (known !== undefined) {
      into.seq = template.lastSeq;
      into.event = known;
      return true;
    }
    // Summed where the bytes are, with the brace that stands in for the crc field.
    if (stated === bodyCrc(bytes, start, crcAt)) {
      const text = view.text === undefined ? bytes.toString('utf8', start, end) : view.text.slice(start, end);
      const record = quickJournalRecord(parseOrUndefined(text));
      if (record !== undefined) return entry(record, into);
    }
  }
  const decoded = decodeJournalLine(bytes.subarray(start, end));
  if (decoded.ok) return entry(decoded.record, into);
  into.event = undefined;
  into.kind = decoded.kind;
  into.message = decoded.message;
  return false;
}

function entry(record: JournalRecord, into: LineReading): true {
  into.seq = record.seq;
  into.event = eventOf(record);
  return true;
}

function hasCrcField(bytes: Buffer, crcAt: number, end: number): boolean {
  if (bytes[end - 1] !== BRACE || bytes[end - 2] !== QUOTE) return false;
  for (let i = 0; i < CRC_FIELD.length; i++) if (bytes[crcAt + i] !== CRC_FIELD[i]) return false;
  return true;
}

/** The 8 lowercase hex digits at `at` as a number; -1 when they are not that. */
function hexAt(bytes: Buffer, at: number): number {
  let value = 0;
  for (let i = at; i < at + 8; i++) {
    const c = bytes[i] as number;
    const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // decodeJournalLine says why
  }
}

/** The DomainEvent a record holds. */
export function eventOf(record: JournalRecord): DomainEvent {
  return { type: record.type, version: record.version, data: record.data, meta: record.meta };
}
