/**
 * How the runner writes its reports (unit level, in-memory log): reports made together go out as one
 * append, and an attempt's reports keep their order whatever appends carry them.
 */
import { randomUUID } from 'node:crypto';
import { asyncScheduler, type Subscription } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { MembersView } from '../../src/domain/members.ts';
import {
  decideAssignments,
  decideSubmission,
  decideTakeover,
  getTask,
  runnerStream,
  validateSubmission,
} from '../../src/domain/task/index.ts';
import { loadHandlers } from '../../src/infra/handlers/registry.ts';
import { createMemoryEventLog } from '../../src/infra/log/memory/memory-event-log.ts';
import type { EventLog, EventToAppend } from '../../src/infra/log/port.ts';
import { createRunner } from '../../src/streams/runner.ts';
import { createTaskView, type TaskView } from '../../src/streams/task-view.ts';
import { waitFor } from '../support/wait-for.ts';

const subscriptions: Subscription[] = [];
afterEach(() => {
  for (const s of subscriptions.splice(0)) s.unsubscribe();
});

const members: MembersView = {
  n1: {
    node: 'n1',
    incarnation: 1,
    address: 'a',
    priority: 1,
    health: 'healthy',
    draining: false,
    capacity: 8,
    load: 0,
  },
};
const leader = () => ({ now: Date.now(), epoch: 1, leader: 'n1', incarnation: 1 });

/** The memory log, recording what each append carried. */
function recordingLog(): { log: EventLog; appends: { stream: string; events: readonly EventToAppend[] }[] } {
  const inner = createMemoryEventLog();
  const appends: { stream: string; events: readonly EventToAppend[] }[] = [];
  const log: EventLog = {
    append: (stream, events, expected) => {
      appends.push({ stream, events });
      return inner.append(stream, events, expected);
    },
    readStream: (stream, from) => inner.readStream(stream, from),
    readAll: (after) => inner.readAll(after),
    subscribeAll: (after) => inner.subscribeAll(after),
    anomalies$: inner.anomalies$,
    close: () => inner.close(),
  };
  return { log, appends };
}

/** A view and a runner of node n1 on `log`, already following it. */
async function startRunner(log: EventLog): Promise<TaskView> {
  const view = createTaskView(log);
  const handlers = await loadHandlers({ execAllow: [], execOutputLimitBytes: 100, handlerModules: [] });
  const runner = createRunner({
    log,
    view,
    handlers,
    scheduler: asyncScheduler,
    node: 'n1',
    incarnation: 1,
    progressIntervalMs: 0,
  });
  subscriptions.push(view.start().subscribe(), runner.run$.subscribe());
  return view;
}

/** Submits `bodies`, then assigns them all to n1 in one dispatch append; returns their ids. */
async function submitAndAssign(log: EventLog, view: TaskView, bodies: readonly unknown[]): Promise<string[]> {
  await log.append('dispatch', decideTakeover({ ...leader(), members, jitter: 0 }, view.current()), 'any');
  const ids: string[] = [];
  for (const body of bodies) {
    const validation = validateSubmission(body);
    if (!validation.ok) throw new Error('invalid submission');
    const taskId = randomUUID();
    const context = { taskId, now: Date.now(), node: 'n1', incarnation: 1 };
    await log.append(
      'submissions',
      decideSubmission(validation.value, context, view.current()).events,
      'any',
    );
    ids.push(taskId);
  }
  await waitFor(() => ids.every((id) => getTask(view.current(), id) !== undefined), {
    what: 'the submissions',
  });
  await log.append('dispatch', decideAssignments({ ...leader(), members }, view.current()), 'any');
  return ids;
}

const reportsOf = (appends: ReturnType<typeof recordingLog>['appends']) =>
  appends.filter((a) => a.stream === runnerStream('n1'));
const typesFor = (events: readonly EventToAppend[], id: string) =>
  events.filter((e) => (e.data as { taskId: string }).taskId === id).map((e) => e.type);

describe('the runner reports', () => {
  it('writes the starts and ends of tasks that finish at once as one append, each start before its end', async () => {
    const { log, appends } = recordingLog();
    const view = await startRunner(log);
    const ids = await submitAndAssign(
      log,
      view,
      [1, 2, 3].map((i) => ({ type: 'noop', payload: { i } })),
    );
    await waitFor(() => ids.every((id) => getTask(view.current(), id)?.status === 'succeeded'), {
      what: 'the three tasks to succeed',
    });
    const reports = reportsOf(appends);
    expect(reports).toHaveLength(1);
    for (const id of ids)
      expect(typesFor(reports[0]?.events ?? [], id)).toEqual(['TaskStarted', 'TaskSucceeded']);
  });

  it("keeps an attempt's reports in order when they span several appends", async () => {
    const { log, appends } = recordingLog();
    const view = await startRunner(log);
    const [id] = await submitAndAssign(log, view, [{ type: 'sleep', payload: { ms: 30, steps: 3 } }]);
    await waitFor(() => getTask(view.current(), id as string)?.status === 'succeeded', {
      what: 'the sleep task to succeed',
    });
    const reports = reportsOf(appends);
    expect(reports.length).toBeGreaterThan(1);
    expect(reports.flatMap((a) => typesFor(a.events, id as string))).toEqual([
      'TaskStarted',
      'TaskProgressed',
      'TaskProgressed',
      'TaskProgressed',
      'TaskSucceeded',
    ]);
    expect(view.current().anomalyCount).toBe(0);
  });
});
