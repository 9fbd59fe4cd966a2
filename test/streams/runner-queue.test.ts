/**
 * The runner's queue (unit level, in-memory log): a node may be assigned more than its capacity (its
 * prefetch); the runner runs `capacity` handlers at once and starts the others in assignment order
 * as slots free, and a queued attempt the dispatcher ends before it started never runs.
 */
import { describe, expect, it } from 'vitest';
import { getTask, runnerStream } from '../../src/domain/task/index.ts';
import { createMemoryEventLog } from '../../src/infra/log/memory/memory-event-log.ts';
import type { EventLog, LoggedEvent } from '../../src/infra/log/port.ts';
import { waitFor } from '../support/wait-for.ts';
import {
  cancelAsLeader,
  followingView,
  startRunner,
  submitAndAssign,
  unsubscribedAfterEach,
} from './support/one-node.ts';

const subscriptions = unsubscribedAfterEach();
const LONG = { type: 'sleep', payload: { ms: 600_000 } };
const QUICK = { type: 'noop', payload: {} };

async function whole(log: EventLog): Promise<LoggedEvent[]> {
  const events: LoggedEvent[] = [];
  for await (const event of log.readAll()) events.push(event);
  return events;
}

const startOf = (events: readonly LoggedEvent[], id: string) =>
  events.find(
    (e) =>
      e.stream === runnerStream('n1') &&
      e.type === 'TaskStarted' &&
      (e.data as { taskId: string }).taskId === id,
  );

/**
 * A runner of capacity 1 on a fresh log, given `bodies` in one assignment append; resolves once the
 * first runs (the others are then in its queue), with the tasks' ids in order.
 */
async function queuedBehindFirst(bodies: readonly unknown[]) {
  const log = createMemoryEventLog();
  const view = followingView(log, subscriptions);
  const runner = await startRunner(log, view, subscriptions, 1);
  const ids = await submitAndAssign(log, view, bodies);
  const [first] = ids;
  if (first === undefined || ids.length !== bodies.length) throw new Error('not submitted');
  await waitFor(() => getTask(view.current(), first)?.status === 'running', { what: 'the first to start' });
  return { log, view, runner, ids: ids as [string, string, ...string[]] };
}

describe('a runner of capacity 1 with several assignments', () => {
  it('runs one at a time: the second starts only after the first ended, the third after the second', async () => {
    const { log, view, runner, ids } = await queuedBehindFirst([LONG, QUICK, QUICK]);
    const [first, second, third = ''] = ids;
    // The other two were assigned in the same append and the runner took them: queued, not started.
    expect(getTask(view.current(), second)?.status).toBe('assigned');
    expect(getTask(view.current(), third)?.status).toBe('assigned');

    await cancelAsLeader(log, view, first);
    await waitFor(() => getTask(view.current(), third)?.status === 'succeeded', { what: 'the third to end' });
    const events = await whole(log);
    const cancelled = events.find((e) => e.type === 'TaskCancelled');
    const secondStarted = startOf(events, second);
    const secondEnded = events.find(
      (e) => e.type === 'TaskSucceeded' && (e.data as { taskId: string }).taskId === second,
    );
    const thirdStarted = startOf(events, third);
    expect(cancelled && secondStarted && secondEnded && thirdStarted).toBeTruthy();
    // The slot freed by the cancel went to the second, and only its end let the third start.
    expect(secondStarted?.position).toBeGreaterThan(cancelled?.position ?? Number.POSITIVE_INFINITY);
    expect(thirdStarted?.position).toBeGreaterThanOrEqual(secondEnded?.position ?? Number.POSITIVE_INFINITY);
    expect(secondEnded?.meta.at).toBeLessThanOrEqual(thirdStarted?.meta.at ?? 0);
    await runner.stop('shutdown');
  });

  it('never starts a queued attempt that was cancelled before a slot freed', async () => {
    const { log, view, runner, ids } = await queuedBehindFirst([LONG, LONG, QUICK]);
    const [first, queued, last = ''] = ids;

    await cancelAsLeader(log, view, queued);
    await cancelAsLeader(log, view, first);
    // The queue is in assignment order: the last task ran after where the cancelled one stood.
    await waitFor(() => getTask(view.current(), last)?.status === 'succeeded', { what: 'the last to end' });
    const events = await whole(log);
    expect(startOf(events, queued)).toBeUndefined();
    expect(getTask(view.current(), queued)?.status).toBe('cancelled');
    await runner.stop('shutdown');
  });

  it('drops its queue at stop: the queued attempts stay assigned, none starts', async () => {
    const { log, view, runner, ids } = await queuedBehindFirst([LONG, QUICK]);
    const [, queued] = ids;

    await runner.stop('shutdown');
    // The shutdown's report of the first was appended before stop returned; the queued one never ran.
    const events = await whole(log);
    expect(startOf(events, queued)).toBeUndefined();
    expect(events.some((e) => e.type === 'TaskFailed')).toBe(true);
    expect(getTask(view.current(), queued)?.status).toBe('assigned');
  });
});
