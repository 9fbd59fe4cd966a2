/**
 * The contract's measure of an append (batch-size.ts), read off the line that stores it, so that the
 * file log encodes an append once instead of twice. The line is
 *
 *   {"seq":S,"stream":"…","events":[{"id":…,"revision":R,"position":P,"type":…,…},…],"crc":"…"}\n
 *
 * so the stored events' JSON is the line less its head, the crc and the "\n"; each stored event is
 * the caller's with `,"revision":R,"position":P` after its id (and the id, when the caller gave none).
 */
import { batchBytesFromStoredBytes } from '../batch-size.ts';
import type { EventToAppend } from '../port.ts';
import { LINE_OVERHEAD_BYTES } from './checksummed-line.ts';
import type { RecordOutline } from './record-index.ts';

/** The fields of a record the measure reads: the ones the writer adds to the caller's events. */
export interface MeasuredRecord extends RecordOutline {
  readonly events: readonly { readonly id: string; readonly revision: number; readonly position: number }[];
}

/**
 * Bytes of `given` (the events as the caller gave them) by the contract's measure, from `line`, the
 * encoding of `record`; undefined when an event carries fields of its own (batchBytes must say).
 */
export function appendBytesInLine(
  line: Buffer,
  record: MeasuredRecord,
  given: readonly EventToAppend[],
): number | undefined {
  const head = Buffer.byteLength(`{"seq":${record.seq},"stream":${JSON.stringify(record.stream)},"events":`);
  // The object's JSON ends with the events' closing bracket and its own closing brace.
  let stored = line.length - LINE_OVERHEAD_BYTES - head - 1;
  const ids: string[] = [];
  for (const event of record.events) {
    stored -= NUMBERS_BYTES + digits(event.revision) + digits(event.position);
    ids.push(event.id);
  }
  return batchBytesFromStoredBytes(given, stored, ids);
}

/** `,"revision":` and `,"position":` without their numbers. */
const NUMBERS_BYTES = ',"revision":'.length + ',"position":'.length;

function digits(value: number): number {
  return String(value).length;
}
