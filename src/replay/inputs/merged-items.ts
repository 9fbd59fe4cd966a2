/**
 * One pass over every input, merged by time with the journals' own k-way merge (each input keeps
 * its order: a journal its seq, the task log its global position), then tagged: which chain an
 * entry belongs to, or that it is the task log's; which input a skipped record came from.
 * Journals are read a chunk at a time and items come out in batches (see mergeJournalBatches), as
 * read: a replay tags each item as it goes rather than copying every one.
 */
import { mergeJournalBatches } from '../../infra/journal/merge-journals.ts';
import { type JournalItem, readJournalChainBatches } from '../../infra/journal/read-journal.ts';
import { openTaskLog } from '../task-log/open-task-log.ts';
import { taskLogItems } from '../task-log/task-log-items.ts';
import type { JournalChain, ReplayBatch, ReplayItem, TaskLogInput } from './input-model.ts';

/** Task-log items gathered into one batch at most. */
const TASK_LOG_BATCH = 256;

/** Every item of `chains` and `taskLog`, merged, in batches; the task log is opened here and closed at the end. */
export async function* mergedBatches(
  chains: readonly JournalChain[],
  taskLog: TaskLogInput | undefined,
): AsyncGenerator<ReplayBatch> {
  const sequences: AsyncIterable<readonly JournalItem[]>[] = chains.map((chain) =>
    readJournalChainBatches(chain.files, chain.displayFiles),
  );
  const log = taskLog === undefined ? undefined : await openTaskLog(taskLog.spec);
  if (log !== undefined && taskLog !== undefined) {
    // Last, so that its index is chains.length.
    sequences.push(batchesOf(taskLogItems(log, taskLog.source), TASK_LOG_BATCH));
  }
  try {
    yield* mergeJournalBatches(sequences);
  } finally {
    await log?.close();
  }
}

/** `mergedBatches` one item at a time, each tagged with where it came from. */
export async function* mergedItems(
  chains: readonly JournalChain[],
  taskLog: TaskLogInput | undefined,
): AsyncGenerator<ReplayItem> {
  const taskLogInput = taskLog?.input ?? 0;
  for await (const { items, from } of mergedBatches(chains, taskLog)) {
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as JournalItem;
      const chain = from[i] as number;
      const journal = chains[chain];
      if (item.kind === 'anomaly') {
        yield { kind: 'skipped', input: journal?.input ?? taskLogInput, anomaly: item.anomaly };
      } else if (journal !== undefined) {
        yield { kind: 'journal-entry', chain, seq: item.seq, event: item.event, location: item.location };
      } else {
        yield { kind: 'task-entry', event: item.event, location: item.location };
      }
    }
  }
}

/** `items` gathered into arrays of up to `max` (fewer at the end). */
async function* batchesOf<T>(items: AsyncIterable<T>, max: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= max) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
