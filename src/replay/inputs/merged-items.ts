/**
 * One pass over every input, merged by time with the journals' own k-way merge (each input keeps
 * its order: a journal its seq, the task log its global position), then tagged: which chain an
 * entry belongs to, or that it is the task log's; which input a skipped record came from.
 */
import { mergeJournalItems } from '../../infra/journal/merge-journals.ts';
import { type JournalItem, readJournalChain } from '../../infra/journal/read-journal.ts';
import { openTaskLog } from '../task-log/open-task-log.ts';
import { taskLogItems } from '../task-log/task-log-items.ts';
import type { JournalChain, ReplayItem, TaskLogInput } from './input-model.ts';

/** Every item of `chains` and `taskLog`, merged; the task log is opened here and closed at the end. */
export async function* mergedItems(
  chains: readonly JournalChain[],
  taskLog: TaskLogInput | undefined,
): AsyncGenerator<ReplayItem> {
  const files = new Map<string, { readonly chain: number; readonly display: string }>();
  chains.forEach((chain, index) => {
    chain.files.forEach((file, i) => {
      files.set(file, { chain: index, display: chain.displayFiles[i] ?? file });
    });
  });
  const sequences: AsyncIterable<JournalItem>[] = chains.map((chain) => readJournalChain(chain.files));
  const log = taskLog === undefined ? undefined : await openTaskLog(taskLog.spec);
  if (log !== undefined && taskLog !== undefined) sequences.push(taskLogItems(log, taskLog.source));
  try {
    for await (const item of mergeJournalItems(sequences)) {
      if (item.kind === 'anomaly') {
        const file = files.get(item.anomaly.location?.source ?? '');
        if (file === undefined) {
          yield { kind: 'skipped', input: taskLog?.input ?? 0, anomaly: item.anomaly };
        } else {
          const location = { ...item.anomaly.location, source: file.display };
          const input = (chains[file.chain] as JournalChain).input;
          yield { kind: 'skipped', input, anomaly: { ...item.anomaly, location } };
        }
        continue;
      }
      const file = files.get(item.location.source ?? '');
      if (file !== undefined && item.location.stream === undefined) {
        const location = { ...item.location, source: file.display };
        yield { kind: 'journal-entry', chain: file.chain, seq: item.seq, event: item.event, location };
      } else {
        yield { kind: 'task-entry', event: item.event, location: item.location };
      }
    }
  } finally {
    await log?.close();
  }
}
