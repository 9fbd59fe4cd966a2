/**
 * How the runner stops (unit level, in-memory log): it always aborts every handler; an orderly stop
 * waits for their reports, a stop after a lost session waits only for the handlers, because reports
 * to an unreachable store would hold the teardown until its step timeout.
 */
import { describe, expect, it } from 'vitest';
import { getTask, runnerStream } from '../../src/domain/task/index.ts';
import { createMemoryEventLog } from '../../src/infra/log/memory/memory-event-log.ts';
import type { AppendResult, EventLog, EventToAppend } from '../../src/infra/log/port.ts';
import type { Runner } from '../../src/streams/runner.ts';
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

/**
 * The memory log whose appends to the runner's stream can be cut: while cut, they hang (as they do
 * against a paused ZooKeeper) until `heal` lets them through.
 */
function cuttableLog() {
  const inner = createMemoryEventLog();
  const held: { events: readonly EventToAppend[]; release: () => void }[] = [];
  let cut = false;
  const log = withAppend(inner, (stream, events, expected) => {
    if (!cut || stream !== runnerStream('n1')) return inner.append(stream, events, expected);
    return new Promise<AppendResult>((resolve, reject) => {
      held.push({
        events,
        release: () => inner.append(stream, events, expected).then(resolve, reject),
      });
    });
  });
  return {
    log,
    held,
    cut: () => {
      cut = true;
    },
    heal: () => {
      cut = false;
      for (const h of held.splice(0)) h.release();
    },
  };
}

/** A view and a runner of n1 on `log`, following it, with one long sleep task running. */
async function runnerWithRunningTask(log: EventLog): Promise<{ runner: Runner; view: TaskView; id: string }> {
  const view = followingView(log, subscriptions);
  const runner = await startRunner(log, view, subscriptions);
  const [id] = await submitAndAssign(log, view, [{ type: 'sleep', payload: { ms: 600_000 } }]);
  if (id === undefined) throw new Error('no task submitted');
  await waitFor(() => getTask(view.current(), id)?.status === 'running', { what: 'the task to start' });
  return { runner, view, id };
}

const reportedEnd = (held: ReturnType<typeof cuttableLog>['held'], id: string) =>
  held.some((h) =>
    h.events.some((e) => e.type === 'TaskFailed' && (e.data as { taskId: string }).taskId === id),
  );

describe('stopping the runner', () => {
  it('waits for the aborted handlers’ reports in an orderly stop', async () => {
    const store = cuttableLog();
    const { runner, view, id } = await runnerWithRunningTask(store.log);
    store.cut();
    let stopped = false;
    const stopping = runner.stop('shutdown').then(() => {
      stopped = true;
    });
    // The handler was aborted and its report is queued, but the store does not answer yet.
    await waitFor(() => reportedEnd(store.held, id), { what: 'the aborted attempt’s report' });
    expect(stopped).toBe(false);
    store.heal();
    await stopping;
    await waitFor(() => getTask(view.current(), id)?.status !== 'running', { what: 'the report folded' });
  });

  it('ends once the handlers have returned when told not to wait for reports (session lost)', async () => {
    const store = cuttableLog();
    const { runner, id } = await runnerWithRunningTask(store.log);
    store.cut();
    await runner.stop('shutdown', 'handlers');
    // The sleep handler returned on abort; its report is still waiting for the store.
    await waitFor(() => reportedEnd(store.held, id), { what: 'the aborted attempt’s report' });
    expect(store.held.length).toBeGreaterThan(0);
    store.heal();
  });
});
