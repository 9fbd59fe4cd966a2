/** Reading a task log from start to end in one go: for tools and tests, never the daemon. */
import type { EventLog, LoggedEvent } from './port.ts';

/** Every event of `log` in log order; closes `log` afterwards, also when the read fails. */
export async function readWholeLog(log: EventLog): Promise<LoggedEvent[]> {
  try {
    const events: LoggedEvent[] = [];
    for await (const event of log.readAll()) events.push(event);
    return events;
  } finally {
    await log.close();
  }
}
