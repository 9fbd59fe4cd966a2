/** Temp directories and small readers for the file-log tests. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Anomaly } from '../../../src/domain/event.ts';
import type { EventLog, EventToAppend, LoggedEvent } from '../../../src/infra/log/port.ts';

export interface TempLogDir {
  readonly directory: string;
  /** `tasks.log` inside the directory. */
  readonly path: string;
  remove(): Promise<void>;
}

/** A fresh directory for one test's log. */
export async function tempLogDir(): Promise<TempLogDir> {
  const directory = await mkdtemp(join(tmpdir(), 'taskd-file-log-'));
  return {
    directory,
    path: join(directory, 'tasks.log'),
    remove: () => rm(directory, { recursive: true, force: true }),
  };
}

/** An event whose data says which one it is. */
export function event(type: string, n = 0): EventToAppend {
  return { type, version: 1, data: { n }, meta: { node: 'n1', incarnation: 1, at: 1_700_000_000_000 + n } };
}

export async function readAllOf(log: EventLog, after?: number): Promise<LoggedEvent[]> {
  const all: LoggedEvent[] = [];
  for await (const e of log.readAll(after)) all.push(e);
  return all;
}

/** The anomalies reported so far (open-time ones are replayed to late subscribers). */
export function anomaliesOf(log: EventLog): Anomaly[] {
  const seen: Anomaly[] = [];
  log.anomalies$.subscribe((anomaly) => seen.push(anomaly)).unsubscribe();
  return seen;
}

/** The log file's lines, without the last empty one. */
export async function linesOf(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8');
  return text.split('\n').slice(0, -1);
}

/** Polls `condition` until it holds, failing after `timeoutMs`: for effects with no event to wait on. */
export async function eventually(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
