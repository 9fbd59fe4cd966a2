/**
 * The task log as items of the same shape as a journal's (src/infra/journal/read-journal.ts), so
 * that one k-way merge orders journals and the log together. Events keep the log's global order;
 * each is validated with the task domain's parser, and what the log or the parser skipped comes
 * out as an anomaly item at the point it was found.
 */
import type { Anomaly } from '../../domain/event.ts';
import { parseTaskEvent } from '../../domain/task/index.ts';
import type { JournalItem } from '../../infra/journal/read-journal.ts';
import type { EventLog } from '../../infra/log/port.ts';

/** Every event of `log` in its global order, as journal items; `source` names the log in locations. */
export async function* taskLogItems(log: EventLog, source: string): AsyncGenerator<JournalItem> {
  const reported: Anomaly[] = [];
  const subscription = log.anomalies$.subscribe((anomaly) => {
    reported.push({ ...anomaly, location: { ...anomaly.location, source } });
  });
  let read = 0;
  try {
    for await (const logged of log.readAll()) {
      yield* drain(reported);
      read += 1;
      const { stream, revision, position } = logged;
      const location = { source, stream, revision, position };
      const parsed = parseTaskEvent(logged, location);
      if (parsed.ok) yield { kind: 'entry', seq: position, event: parsed.event, location };
      else yield { kind: 'anomaly', anomaly: parsed.anomaly };
    }
  } catch (error) {
    if (read === 0) throw error; // nothing could be read: the log is out of reach, not damaged
    // A post-mortem wants everything that can still be read: report the failure and replay the rest.
    const message = `reading the task log failed after ${read} events: ${error instanceof Error ? error.message : String(error)}`;
    yield { kind: 'anomaly', anomaly: { kind: 'read_failed', message, location: { source } } };
  } finally {
    subscription.unsubscribe();
  }
  yield* drain(reported);
}

function* drain(reported: Anomaly[]): Generator<JournalItem> {
  while (reported.length > 0) {
    const anomaly = reported.shift() as Anomaly;
    yield { kind: 'anomaly', anomaly };
  }
}
