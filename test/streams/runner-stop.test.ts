/**
 * How the runner stops (unit level, in-memory log): it always aborts every handler; an orderly stop
 * waits for their reports, a stop after a lost session waits only for the handlers, because reports
 * to an unreachable store would hold the teardown until its step timeout.
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
import type { AppendResult, EventLog, EventToAppend } from '../../src/infra/log/port.ts';
import { createRunner, type Runner } from '../../src/streams/runner.ts';
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

/**
 * The memory log whose appends to the runner's stream can be cut: while cut, they hang (as they do
 * against a paused ZooKeeper) until `heal` lets them through.
 */
function cuttableLog() {
  const inner = createMemoryEventLog();
  const held: { events: readonly EventToAppend[]; release: () => void }[] = [];
  let cut = false;
  const log: EventLog = {
    append: (stream, events, expected) => {
      if (!cut || stream !== runnerStream('n1')) return inner.append(stream, events, expected);
      return new Promise<AppendResult>((resolve, reject) => {
        held.push({
          events,
          release: () => inner.append(stream, events, expected).then(resolve, reject),
        });
      });
    },
    readStream: (stream, from) => inner.readStream(stream, from),
    readAll: (after) => inner.readAll(after),
    subscribeAll: (after) => inner.subscribeAll(after),
    anomalies$: inner.anomalies$,
    close: () => inner.close(),
  };
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
  await log.append('dispatch', decideTakeover({ ...leader(), members, jitter: 0 }, view.current()), 'any');
  const validation = validateSubmission({ type: 'sleep', payload: { ms: 600_000 } });
  if (!validation.ok) throw new Error('invalid submission');
  const id = randomUUID();
  const context = { taskId: id, now: Date.now(), node: 'n1', incarnation: 1 };
  await log.append('submissions', decideSubmission(validation.value, context, view.current()).events, 'any');
  await waitFor(() => getTask(view.current(), id) !== undefined, { what: 'the submission' });
  await log.append('dispatch', decideAssignments({ ...leader(), members }, view.current()), 'any');
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
