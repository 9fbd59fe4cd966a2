/**
 * Files of records as disks and other writers leave them, for fuzzing the readers: good records
 * (journal lines or task-log records) mixed with random bytes, checksummed JSON of the wrong shape,
 * records of an event version nobody knows, records with a byte zeroed; then perhaps cut short.
 */
import fc from 'fast-check';
import { encodeJournalLine } from '../../src/infra/journal/journal-line.ts';
import { encodeChecksummedLine } from '../../src/infra/log/file/checksummed-line.ts';

export type Piece =
  | { readonly kind: 'good' }
  /** A good record of an event version nobody writes (the fold must refuse it, not the reader). */
  | { readonly kind: 'future-version'; readonly version: number }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | { readonly kind: 'wrong-shape'; readonly value: Record<string, unknown> }
  | { readonly kind: 'zeroed'; readonly at: number };

export const pieceArb: fc.Arbitrary<Piece> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'good' as const }), weight: 4 },
  fc.record({ kind: fc.constant('future-version' as const), version: fc.integer({ min: 2, max: 1_000 }) }),
  fc.record({ kind: fc.constant('bytes' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 120 }) }),
  fc.record({
    kind: fc.constant('wrong-shape' as const),
    value: fc.oneof(
      fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 5 }),
      fc.constant({ seq: 'one', type: 7 }),
      fc.constant({ seq: 1, stream: 'dispatch', events: [] }),
      fc.constant({ seq: 1, type: 'SessionLost', version: 1, data: null, meta: { node: 5 } }),
    ),
  }),
  fc.record({ kind: fc.constant('zeroed' as const), at: fc.nat() }),
);

export interface Assembled {
  readonly bytes: Buffer;
  /** Good records whole in `bytes` (future versions included), by the number each was given. */
  readonly intact: readonly number[];
  /** Some piece other than a good record is in `bytes`. */
  readonly junk: boolean;
  readonly futureVersions: number;
}

/**
 * Lays the pieces out, one line each; `record(n, version)` encodes the n-th good record. Then keeps
 * only the first `keep` fraction of the bytes (1: all), as a torn write would.
 */
export function assemble(
  pieces: readonly Piece[],
  record: (n: number, version: number) => Buffer,
  keep: number,
): Assembled {
  const lines: { bytes: Buffer; good?: number; future?: boolean }[] = [];
  let n = 0;
  for (const piece of pieces) {
    switch (piece.kind) {
      case 'good':
        lines.push({ bytes: record(++n, 1), good: n });
        break;
      case 'future-version':
        lines.push({ bytes: record(++n, piece.version), good: n, future: true });
        break;
      case 'bytes':
        lines.push({ bytes: Buffer.concat([Buffer.from(piece.bytes), Buffer.from('\n')]) });
        break;
      case 'wrong-shape':
        lines.push({ bytes: encodeChecksummedLine(piece.value) });
        break;
      case 'zeroed': {
        const bytes = Buffer.from(record(1_000_000, 1));
        bytes[piece.at % (bytes.length - 1)] = 0; // never the newline
        lines.push({ bytes });
        break;
      }
    }
  }
  const whole = Buffer.concat(lines.map((l) => l.bytes));
  const length = Math.floor(whole.length * keep);
  const intact: number[] = [];
  let junk = false;
  let futureVersions = 0;
  let offset = 0;
  for (const line of lines) {
    const end = offset + line.bytes.length;
    if (end <= length && line.good !== undefined) intact.push(line.good);
    if (end <= length && line.future) futureVersions += 1;
    if (offset < length && (line.good === undefined || end > length)) junk = true;
    offset = end;
  }
  return { bytes: whole.subarray(0, length), intact, junk, futureVersions };
}

/** The n-th good journal line of `node` (seq n), at `version`. */
export function journalRecord(node: string, n: number, version: number): Buffer {
  return encodeJournalLine(n, {
    type: 'HealthChecked',
    version,
    data: { probe: 'peers', ok: true, detail: `check ${n}` },
    meta: { node, incarnation: 1, at: 1_700_000_000_000 + n * 10 },
  });
}

/** The n-th good file task-log record (seq n, position n): one submission, at `version`. */
export function taskLogRecord(n: number, version: number): Buffer {
  return encodeChecksummedLine({
    seq: n,
    stream: 'submissions',
    events: [
      {
        id: `event-${n}`,
        revision: n - 1,
        position: n,
        type: 'TaskSubmitted',
        version,
        data: {
          taskId: `task-${n}`,
          type: 'noop',
          payload: null,
          maxAttempts: 1,
          backoff: { initialMs: 1_000, multiplier: 2, maxMs: 60_000 },
        },
        meta: { node: 'n1', incarnation: 1, at: 1_700_000_000_000 + n * 10 },
      },
    ],
  });
}
