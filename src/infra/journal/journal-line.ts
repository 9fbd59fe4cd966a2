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

/** The DomainEvent a record holds. */
export function eventOf(record: JournalRecord): DomainEvent {
  return { type: record.type, version: record.version, data: record.data, meta: record.meta };
}
