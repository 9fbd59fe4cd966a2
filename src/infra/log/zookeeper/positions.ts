/**
 * Global positions of the ZooKeeper task log, derived from where an event is stored:
 *
 *   position = sequence × 1 000 000 + (index in the batch + 1)
 *
 * `sequence` is the 10-digit suffix ZooKeeper gave the batch's persistent sequential znode (the
 * events parent's cversion at the create, so it only grows, in commit order); `index` is the event's
 * place in that batch. Read in decimal, a position is "batch 12, event 3" → 12 000 003. Positions
 * start at 1 (never 0, which callers may use as "nothing read yet") and strictly grow: within a
 * batch by index, across batches by sequence.
 *
 * Bounds: a sequence is a signed 32-bit counter (ZooKeeper's own limit, see znode-names.ts), so the
 * largest position is (2³¹ − 1) × 10⁶ + 999 999 ≈ 2.1 × 10¹⁵, well under Number.MAX_SAFE_INTEGER
 * (≈ 9.0 × 10¹⁵). A batch holds at most 999 999 events; the 1 MB znode limit keeps real batches
 * orders of magnitude below that.
 */

/** Positions reserved per batch sequence. */
export const POSITIONS_PER_SEQUENCE = 1_000_000;

/** Most events one batch can hold: its positions must stay inside its sequence's range. */
export const MAX_EVENTS_PER_BATCH = POSITIONS_PER_SEQUENCE - 1;

/** The largest sequence ZooKeeper hands out before its counter overflows. */
export const MAX_SEQUENCE = 2 ** 31 - 1;

/** Position of the event at `index` of the batch with `sequence`. */
export function positionOf(sequence: number, index: number): number {
  return sequence * POSITIONS_PER_SEQUENCE + index + 1;
}

/** The batch sequence a position belongs to. */
export function sequenceOf(position: number): number {
  return Math.floor(position / POSITIONS_PER_SEQUENCE);
}

/** The last position a batch could occupy: having read through it, the batch is done. */
export function endOfSequence(sequence: number): number {
  return sequence * POSITIONS_PER_SEQUENCE + MAX_EVENTS_PER_BATCH;
}

/** A caller's `after` as a cursor: undefined, negative or fractional values read from the start. */
export function cursorAfter(after: number | undefined): number {
  if (after === undefined || !Number.isFinite(after) || after < 0) return 0;
  return Math.floor(after);
}
