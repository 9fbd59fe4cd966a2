/**
 * The dispatcher and a runner over the in-memory log (unit level): tasks are fenced, assigned, run
 * and reported; a second leader's append fails on the fence.
 */
import { asyncScheduler, delay, merge, type SchedulerAction, type SchedulerLike } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { nodeEvent } from '../../src/domain/node/index.ts';
import {
  DISPATCH_STREAM,
  decideSubmission,
  getTask,
  validateSubmission,
} from '../../src/domain/task/index.ts';
import { createMemoryEventLog } from '../../src/infra/log/memory/memory-event-log.ts';
import type { EventLog } from '../../src/infra/log/port.ts';
import { dispatcher$ } from '../../src/streams/dispatcher.ts';
import { createTaskView } from '../../src/streams/task-view.ts';
import { waitFor } from '../support/wait-for.ts';
import { leaderStore } from './support/leader-store.ts';
import { runnerOfN1, unsubscribedAfterEach } from './support/one-node.ts';

const subscriptions = unsubscribedAfterEach();

async function submit(log: EventLog, body: unknown, taskId: string) {
  const validation = validateSubmission(body);
  if (!validation.ok) throw new Error('invalid');
  const decision = decideSubmission(
    validation.value,
    { taskId, now: Date.now(), node: 'n1', incarnation: 1 },
    createTaskView(log).current(),
  );
  await log.append('submissions', decision.events, 'any');
}

async function startNode(log: EventLog, epoch = 1, scheduler: SchedulerLike = asyncScheduler) {
  const view = createTaskView(log);
  const store = leaderStore('n1', epoch, 2);
  const runner = await runnerOfN1(log, view);
  const dispatcher = dispatcher$({
    log,
    view,
    store,
    scheduler,
    random: () => 0.5,
    tickMs: 20,
    maxAssignments: 100,
  });
  subscriptions.push(merge(view.start(), dispatcher, runner.run$).subscribe());
  return { view, store, runner };
}

/** The async scheduler, counting the timed work it ran (the dispatcher's ticks). */
function countingScheduler(): { readonly scheduler: SchedulerLike; ran(): number } {
  let ran = 0;
  const scheduler: SchedulerLike = {
    now: () => asyncScheduler.now(),
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delayMs?: number, state?: T) {
      return asyncScheduler.schedule<T>(
        function (this: SchedulerAction<T>, s?: T) {
          ran++;
          work.call(this, s);
        },
        delayMs,
        state,
      );
    },
  };
  return { scheduler, ran: () => ran };
}

describe('a leader with a runner', () => {
  it('fences its term, then runs every submitted task to its end', async () => {
    const log = createMemoryEventLog();
    const { view } = await startNode(log);
    await submit(log, { type: 'noop', payload: { n: 1 } }, 't1');
    await submit(log, { type: 'sleep', payload: { ms: 20, steps: 2 } }, 't2');
    await submit(log, { type: 'fail', payload: { retryable: false } }, 't3');
    await waitFor(
      () =>
        ['t1', 't2', 't3'].every((id) =>
          ['succeeded', 'failed'].includes(getTask(view.current(), id)?.status ?? ''),
        ),
      {
        what: 'every task to end',
        timeoutMs: 3000,
      },
    ).catch(async (e) => {
      for await (const x of log.readAll())
        console.log(x.stream, x.type, JSON.stringify(x.data).slice(0, 200));
      throw e;
    });
    expect(getTask(view.current(), 't1')?.status).toBe('succeeded');
    expect(getTask(view.current(), 't2')?.status).toBe('succeeded');
    expect(getTask(view.current(), 't3')?.status).toBe('failed');
    expect(view.current().epoch).toBe(1);
    expect(view.current().anomalyCount).toBe(0);
  });

  it('never runs more tasks at once than the node has slots', async () => {
    const log = createMemoryEventLog();
    const { view, runner } = await startNode(log);
    let peak = 0;
    subscriptions.push(runner.view$.subscribe((v) => (peak = Math.max(peak, v.load))));
    for (let i = 0; i < 6; i++) await submit(log, { type: 'sleep', payload: { ms: 10 } }, `s${i}`);
    await waitFor(
      () => [0, 1, 2, 3, 4, 5].every((i) => getTask(view.current(), `s${i}`)?.status === 'succeeded'),
      { what: 'all six to succeed' },
    );
    expect(peak).toBeLessThanOrEqual(2);
  });

  it('stops dispatching when another leader has appended since: its append fails on the fence', async () => {
    const log = createMemoryEventLog();
    const { view, store } = await startNode(log, 1);
    await waitFor(() => view.current().epoch === 1, { what: 'the first fence' });
    // A newer leader fences epoch 2 behind this one's back.
    await log.append(
      DISPATCH_STREAM,
      [
        {
          type: 'EpochStarted',
          version: 1,
          data: { epoch: 2, leader: 'n2', incarnation: 1 },
          meta: { node: 'n2', incarnation: 1, epoch: 2, at: Date.now() },
        },
      ],
      view.revision(DISPATCH_STREAM),
    );
    await submit(log, { type: 'noop' }, 'late');
    await waitFor(() => store.current().role.status !== 'leader', { what: 'the old leader to step down' });
    const dispatchEvents: string[] = [];
    for await (const e of log.readStream(DISPATCH_STREAM)) dispatchEvents.push(`${e.type}@${e.meta.epoch}`);
    expect(dispatchEvents).toEqual(['EpochStarted@1', 'EpochStarted@2']);
    expect(getTask(view.current(), 'late')?.status).toBe('pending');
  });

  it('assigns nothing once its node began tearing down, though it still holds the role', async () => {
    const log = createMemoryEventLog();
    const ticks = countingScheduler();
    const { view, store } = await startNode(log, 1, ticks.scheduler);
    await waitFor(() => view.current().epoch === 1, { what: 'the first fence' });
    // The journal failed (or a signal came): the store folds a fatal shutdown; the role goes later.
    store.record([
      nodeEvent(
        'ShutdownRequested',
        { trigger: 'fatal', detail: 'journal: ENOSPC' },
        { node: 'n1', incarnation: 1, at: 2 },
      ),
    ]);
    expect(store.current().lifecycle.status).toBe('tearing-down');
    expect(store.current().role.status).toBe('leader');
    await submit(log, { type: 'noop' }, 'after-shutdown');
    await waitFor(() => getTask(view.current(), 'after-shutdown'), { what: 'the submission to fold' });
    const seen = ticks.ran();
    await waitFor(() => ticks.ran() >= seen + 10, { what: 'ten more dispatcher ticks' });
    expect(getTask(view.current(), 'after-shutdown')?.status).toBe('pending');
  });

  it('assigns no attempt twice while its own appends are still on their way back through the log', async () => {
    const inner = createMemoryEventLog();
    // The log hands events back late: the leader decides again before its last append is folded.
    const log: EventLog = { ...inner, subscribeAll: (after) => inner.subscribeAll(after).pipe(delay(15)) };
    const { view } = await startNode(log);
    const ids = Array.from({ length: 12 }, (_, i) => `q${i}`);
    for (const id of ids) await submit(log, { type: 'sleep', payload: { ms: 5 } }, id);
    await waitFor(() => ids.every((id) => getTask(view.current(), id)?.status === 'succeeded'), {
      what: 'every task to succeed',
    });
    const assigned: string[] = [];
    for await (const e of log.readStream(DISPATCH_STREAM)) {
      if (e.type === 'TaskAssigned') assigned.push((e.data as { taskId: string }).taskId);
    }
    expect(assigned.sort()).toEqual([...ids].sort());
    expect(view.current().anomalyCount).toBe(0);
  });
});
