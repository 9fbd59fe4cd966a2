/**
 * Reads node journals back, for replay: entries with where they sit, and anomalies where lines
 * could not be used (torn, corrupt, wrong shape, sequence out of order). Never throws on content:
 * a post-mortem needs everything that can still be read.
 */
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Anomaly, DomainEvent, EventLocation } from '../../domain/event.ts';
import { readRawLines } from '../log/file/line-reader.ts';
import { listJournalChains } from './journal-files.ts';
import { decodeJournalLine, eventOf } from './journal-line.ts';

export type JournalItem =
  | {
      readonly kind: 'entry';
      readonly seq: number;
      readonly event: DomainEvent;
      /** `source` is the file; `offset` and `line` (1-based) place the line in it. */
      readonly location: EventLocation;
    }
  | { readonly kind: 'anomaly'; readonly anomaly: Anomaly };

/** A file: that file. A directory: every node's journal in it, node after node, each oldest file first. */
export async function* readJournal(source: string): AsyncGenerator<JournalItem> {
  for (const files of await journalChainsAt(source)) yield* readJournalChain(files);
}

/** The journal chains a path stands for: one per node in a directory, or the one file. */
export async function journalChainsAt(source: string): Promise<(readonly string[])[]> {
  if ((await stat(source)).isDirectory())
    return (await listJournalChains(source)).map((chain) => chain.files);
  return [[source]];
}

/** The files of one node's journal, oldest first, as one sequence of items. */
export async function* readJournalChain(files: readonly string[]): AsyncGenerator<JournalItem> {
  let lastSeq: number | undefined;
  let badSinceLastEntry = false;
  for (const file of files) {
    const handle = await open(file, 'r');
    try {
      for await (const raw of readRawLines(handle)) {
        const location = { source: file, offset: raw.offset, line: raw.line };
        if (!raw.terminated) {
          const message = `last line of ${basename(file)} has no newline (${raw.bytes.length} bytes): a torn write`;
          yield anomaly({ kind: 'torn_line', message, location });
          continue;
        }
        const decoded = decodeJournalLine(raw.bytes);
        if (!decoded.ok) {
          badSinceLastEntry = true;
          yield anomaly({ kind: decoded.kind, message: decoded.message, location });
          continue;
        }
        const { seq } = decoded.record;
        const event = eventOf(decoded.record);
        if (lastSeq !== undefined && seq <= lastSeq) {
          // Two writers on one journal (two daemons with one node name) look like this.
          const message = `seq ${seq} after seq ${lastSeq}`;
          yield anomaly({ kind: 'sequence_out_of_order', message, location, eventType: event.type });
        } else if (lastSeq !== undefined && seq > lastSeq + 1 && !badSinceLastEntry) {
          const message = `seq jumps from ${lastSeq} to ${seq}: lines are missing`;
          yield anomaly({ kind: 'sequence_gap', message, location, eventType: event.type });
        }
        lastSeq = Math.max(seq, lastSeq ?? 0);
        badSinceLastEntry = false;
        yield { kind: 'entry', seq, event, location };
      }
    } finally {
      await handle.close();
    }
  }
}

function anomaly(value: Anomaly): JournalItem {
  return { kind: 'anomaly', anomaly: value };
}
