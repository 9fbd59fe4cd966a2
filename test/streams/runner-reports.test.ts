/**
 * How the runner writes its reports (unit level, in-memory log): reports made together go out as one
 * append, and an attempt's reports keep their order whatever appends carry them.
 */
import { describe, expect, it } from 'vitest';
import { getTask, runnerStream } from '../../src/domain/task/index.ts';
import { createMemoryEventLog } from '../../src/infra/log/memory/memory-event-log.ts';
import type { EventLog, EventToAppend } from '../../src/infra/log/port.ts';
import type { TaskView } from '../../src/streams/task-view.ts';
import { waitFor } from '../support/wait-for.ts';
import {
  followingView,
  startRunner,
  submitAndAssign,
  unsubscribedAfterEach,
  withAppend,
} from './support/one-node.ts';

const subscriptions = unsubscribedAfterEach();

/** The memory log, recording what each append carried. */
function recordingLog(): { log: EventLog; appends: { stream: string; events: readonly EventToAppend[] }[] } {
  const inner = createMemoryEventLog();
  const appends: { stream: string; events: readonly EventToAppend[] }[] = [];
  const log = withAppend(inner, (stream, events, expected) => {
    appends.push({ stream, events });
    return inner.append(stream, events, expected);
  });
  return { log, appends };
}

/** A view and a runner of node n1 on `log`, already following it. */
async function viewWithRunner(log: EventLog): Promise<TaskView> {
  const view = followingView(log, subscriptions);
  await startRunner(log, view, subscriptions);
  return view;
}

const reportsOf = (appends: ReturnType<typeof recordingLog>['appends']) =>
  appends.filter((a) => a.stream === runnerStream('n1'));
const typesFor = (events: readonly EventToAppend[], id: string) =>
  events.filter((e) => (e.data as { taskId: string }).taskId === id).map((e) => e.type);

describe('the runner reports', () => {
  it('writes the starts and ends of tasks that finish at once as one append, each start before its end', async () => {
    const { log, appends } = recordingLog();
    const view = await viewWithRunner(log);
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
    const view = await viewWithRunner(log);
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
