/**
 * A small healthy cluster for the end-to-end replay tests: n1 leads (epoch 1) and holds the VIP, n2
 * follows; the task log (a real file log) has task `a` run on n2 and succeed, and task `b` run on n1
 * until the end.
 *
 *   T+0      both boot          T+1.0 s  n1 leads epoch 1      T+1.4 s  n1 takes the VIP
 *   T+2.1 s  a → n2             T+3.1 s  b → n1                T+5.0 s  a succeeds
 *   T+60 s   last journal events
 */
import { join } from 'node:path';
import type { EventMeta } from '../../src/domain/event.ts';
import {
  type EpochStarted,
  type TaskAssigned,
  type TaskEvent,
  type TaskStarted,
  type TaskSubmitted,
  type TaskSucceeded,
  taskEvent,
} from '../../src/domain/task/index.ts';
import { member } from '../domain/task/fixtures.ts';
import { writeJournal, writeTaskLog } from './replay-fixture.ts';
import { JournalScript } from './seed-journals.ts';

export const T = Date.UTC(2024, 0, 1, 12, 0, 0);
export const VIP = '10.0.0.100';

export interface ClusterPaths {
  /** The data directory holding both journals. */
  readonly journals: string;
  readonly taskLog: string;
}

/** Both nodes' journals. */
export function clusterJournals(): Record<string, JournalScript['events']> {
  const n1 = new JournalScript('n1').boot(T, '0x1').candidate(T + 100, 1);
  n1.add(T + 200, 'MembersObserved', { members: [member('n1'), member('n2')] });
  n1.lead(T + 1_000, 1);
  for (const i of [0, 1, 2])
    n1.add(T + 1_100 + i * 100, 'HealthChecked', { probe: 'peers', ok: true, detail: 'ok' });
  n1.add(T + 1_400, 'VipAcquired', { address: VIP });
  n1.add(T + 60_000, 'HealthChecked', { probe: 'peers', ok: true, detail: 'ok' });
  const n2 = new JournalScript('n2').boot(T + 5, '0x2').candidate(T + 105, 2);
  n2.add(T + 203, 'MembersObserved', { members: [member('n1'), member('n2')] });
  n2.add(T + 1_003, 'LeaderObserved', { leader: 'n1', epoch: 1 });
  n2.add(T + 60_000, 'HealthChecked', { probe: 'peers', ok: true, detail: 'ok' });
  return { n1: n1.events, n2: n2.events };
}

const meta = (node: string, at: number, epoch?: number): EventMeta =>
  epoch === undefined ? { node, incarnation: 1, at } : { node, incarnation: 1, at, epoch };

const where = (taskId: string, node: string) => ({ taskId, attempt: 1, epoch: 1, node, incarnation: 1 });

/** The task log's events, in log order. */
export function clusterTasks(): TaskEvent[] {
  const submit = (taskId: string, at: number) =>
    taskEvent<TaskSubmitted>(
      'TaskSubmitted',
      {
        taskId,
        type: 'noop',
        payload: null,
        maxAttempts: 3,
        backoff: { initialMs: 1_000, multiplier: 2, maxMs: 60_000 },
      },
      meta('n1', at),
    );
  return [
    taskEvent<EpochStarted>(
      'EpochStarted',
      { epoch: 1, leader: 'n1', incarnation: 1 },
      meta('n1', T + 1_500, 1),
    ),
    submit('a', T + 2_000),
    taskEvent<TaskAssigned>('TaskAssigned', where('a', 'n2'), meta('n1', T + 2_100, 1)),
    taskEvent<TaskStarted>('TaskStarted', where('a', 'n2'), meta('n2', T + 2_200, 1)),
    submit('b', T + 3_000),
    taskEvent<TaskAssigned>('TaskAssigned', where('b', 'n1'), meta('n1', T + 3_100, 1)),
    taskEvent<TaskStarted>('TaskStarted', where('b', 'n1'), meta('n1', T + 3_200, 1)),
    taskEvent<TaskSucceeded>(
      'TaskSucceeded',
      { ...where('a', 'n2'), result: 'done' },
      meta('n2', T + 5_000, 1),
    ),
  ];
}

/** Writes the scenario under `dir`. */
export async function writeCluster(dir: string): Promise<ClusterPaths> {
  const journals = join(dir, 'data');
  for (const [node, events] of Object.entries(clusterJournals())) await writeJournal(journals, node, events);
  const taskLog = join(dir, 'tasks.log.jsonl');
  await writeTaskLog(taskLog, clusterTasks());
  return { journals, taskLog };
}
