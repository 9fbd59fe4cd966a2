/**
 * Damage done to a stopped node's journal, the way disks and crashes do it: one byte of a record in
 * the middle zeroed (a bad sector), and the last record cut in half (a torn write at power loss).
 */
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import type { SeededRandom } from './seeded-random.ts';

export interface JournalDamage {
  readonly file: string;
  /** 1-based line of the zeroed byte, and the byte's offset in the file. */
  readonly zeroedLine: number;
  readonly zeroedOffset: number;
  /** 1-based line of the record cut in half, and the file's new size. */
  readonly cutLine: number;
  readonly cutTo: number;
}

/** Zeroes one byte inside a record near the middle and cuts the last record in half. */
export function damageJournal(file: string, random: SeededRandom): JournalDamage {
  const bytes = readFileSync(file);
  const starts = lineStarts(bytes);
  const lines = starts.length;
  if (lines < 4) throw new Error(`journal ${file} has ${lines} lines: too few to damage`);
  const zeroedIndex = random.int(Math.floor(lines / 3), lines - 3);
  const lineStart = starts[zeroedIndex] as number;
  const lineEnd = (starts[zeroedIndex + 1] as number) - 1; // the "\n"
  const zeroedOffset = random.int(lineStart + 1, lineEnd - 2);
  bytes[zeroedOffset] = 0;
  writeFileSync(file, bytes);
  const lastStart = starts[lines - 1] as number;
  const cutTo = lastStart + Math.floor((bytes.length - lastStart) / 2);
  truncateSync(file, cutTo);
  return { file, zeroedLine: zeroedIndex + 1, zeroedOffset, cutLine: lines, cutTo };
}

/** Offsets where each newline-terminated line starts. */
function lineStarts(bytes: Buffer): number[] {
  const starts: number[] = [];
  for (let at = 0; at < bytes.length; ) {
    starts.push(at);
    const newline = bytes.indexOf(0x0a, at);
    if (newline === -1) break;
    at = newline + 1;
  }
  return starts;
}
