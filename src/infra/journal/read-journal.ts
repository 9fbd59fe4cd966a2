/**
 * Reads node journals back, for replay: entries with where they sit, and anomalies where lines
 * could not be used (torn, corrupt, wrong shape, sequence out of order). Never throws on content:
 * a post-mortem needs everything that can still be read.
 */
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Anomaly, DomainEvent, EventLocation } from '../../domain/event.ts';
import { chunkBuffer, chunkedLines, type LineView } from './chunked-lines.ts';
import { listJournalChains } from './journal-files.ts';
import { decodeJournalLineIn, lineReading } from './journal-line.ts';
import { JournalLineTemplate } from './journal-line-template.ts';

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
  for await (const batch of readJournalChainBatches(files)) yield* batch;
}

/**
 * `readJournalChain` a chunk of the file at a time: the same items in the same order, as arrays,
 * so that a replay of millions of lines waits once per chunk instead of once per line. `names`
 * name the files in locations (a bundle's member instead of its extracted copy); default: the paths.
 */
export async function* readJournalChainBatches(
  files: readonly string[],
  names: readonly string[] = files,
): AsyncGenerator<JournalItem[]> {
  let lastSeq: number | undefined;
  let badSinceLastEntry = false;
  let batch: JournalItem[] = [];
  const chunk = chunkBuffer();
  const template = new JournalLineTemplate();
  const reading = lineReading();
  for (const [index, file] of files.entries()) {
    const source = names[index] ?? file;
    const onLine = (view: LineView): void => {
      const location = { source, offset: view.offset, line: view.line };
      if (!view.terminated) {
        const message = `last line of ${basename(file)} has no newline (${view.end - view.start} bytes): a torn write`;
        batch.push(anomaly({ kind: 'torn_line', message, location }));
        return;
      }
      if (!decodeJournalLineIn(view, template, reading)) {
        badSinceLastEntry = true;
        batch.push(anomaly({ kind: reading.kind, message: reading.message, location }));
        return;
      }
      const { seq } = reading;
      const event = reading.event as DomainEvent;
      if (lastSeq !== undefined && seq <= lastSeq) {
        // Two writers on one journal (two daemons with one node name) look like this.
        const message = `seq ${seq} after seq ${lastSeq}`;
        batch.push(anomaly({ kind: 'sequence_out_of_order', message, location, eventType: event.type }));
      } else if (lastSeq !== undefined && seq > lastSeq + 1 && !badSinceLastEntry) {
        const message = `seq jumps from ${lastSeq} to ${seq}: lines are missing`;
        batch.push(anomaly({ kind: 'sequence_gap', message, location, eventType: event.type }));
      }
      lastSeq = lastSeq === undefined || seq > lastSeq ? seq : lastSeq;
      badSinceLastEntry = false;
      batch.push({ kind: 'entry', seq, event, location });
    };
    const handle = await open(file, 'r');
    try {
      for (const _ of chunkedLines(handle, onLine, chunk)) {
        if (batch.length > 0) yield batch;
        batch = [];
      }
    } finally {
      await handle.close();
    }
    if (batch.length > 0) yield batch; // the torn last line
    batch = [];
  }
}

function anomaly(value: Anomaly): JournalItem {
  return { kind: 'anomaly', anomaly: value };
}
