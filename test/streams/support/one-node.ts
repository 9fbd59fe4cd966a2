/**
 * A one-node cluster for unit tests of the task streams (in-memory log): n1 is the only member and
 * leads epoch 1; tests submit tasks, assign them to n1 and run n1's runner on the log.
 */
import { randomUUID } from 'node:crypto';
import { asyncScheduler, type Subscription } from 'rxjs';
import { afterEach } from 'vitest';
import type { MembersView, MemberView } from '../../../src/domain/members.ts';
import {
  decideAssignments,
  decideCancelRequest,
  decideSubmission,
  decideTakeover,
  decideTick,
  getTask,
  validateSubmission,
} from '../../../src/domain/task/index.ts';
import { loadHandlers } from '../../../src/infra/handlers/registry.ts';
import type { EventLog } from '../../../src/infra/log/port.ts';
import { createRunner, type Runner } from '../../../src/streams/runner.ts';
import { createTaskView, type TaskView } from '../../../src/streams/task-view.ts';
import { waitFor } from '../../support/wait-for.ts';

/** A healthy member `node` of incarnation 1, idle, with `capacity` runner slots. */
export function healthyMember(node: string, capacity: number): MemberView {
  return {
    node,
    incarnation: 1,
    address: 'a',
    priority: 1,
    health: 'healthy',
    draining: false,
    capacity,
    load: 0,
  };
}

/** The members: n1 alone, with room for eight tasks. */
const members: MembersView = { n1: healthyMember('n1', 8) };

/** The decision context of n1 leading epoch 1, now. */
const leader = () => ({ now: Date.now(), epoch: 1, leader: 'n1', incarnation: 1 });

/** A list of subscriptions that are ended after each test of the calling file. */
export function unsubscribedAfterEach(): Subscription[] {
  const subscriptions: Subscription[] = [];
  afterEach(() => {
    for (const s of subscriptions.splice(0)) s.unsubscribe();
  });
  return subscriptions;
}

/** A task view of `log`, following it; its subscription goes into `subscriptions`. */
export function followingView(log: EventLog, subscriptions: Subscription[]): TaskView {
  const view = createTaskView(log);
  subscriptions.push(view.start().subscribe());
  return view;
}

/** n1's runner (built-in handlers only) on `log` and `view`, not started yet; `capacity` handlers at once. */
export async function runnerOfN1(log: EventLog, view: TaskView, capacity = 100): Promise<Runner> {
  const handlers = await loadHandlers({ execAllow: [], execOutputLimitBytes: 100, handlerModules: [] });
  return createRunner({
    log,
    view,
    handlers,
    scheduler: asyncScheduler,
    node: 'n1',
    incarnation: 1,
    capacity,
    progressIntervalMs: 0,
  });
}

/** Starts n1's runner on `log` and `view`; its subscription goes into `subscriptions`. */
export async function startRunner(
  log: EventLog,
  view: TaskView,
  subscriptions: Subscription[],
  capacity?: number,
): Promise<Runner> {
  const runner = await runnerOfN1(log, view, capacity);
  subscriptions.push(runner.run$.subscribe());
  return runner;
}

/**
 * Takes over as leader, submits `bodies`, then assigns them all to n1 in one dispatch append; returns
 * their ids. `view` must be following `log`.
 */
export async function submitAndAssign(
  log: EventLog,
  view: TaskView,
  bodies: readonly unknown[],
): Promise<string[]> {
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

/**
 * Cancels task `id` as the cluster does: its TaskCancelRequested, folded, then the leader's tick
 * (TaskCancelled). `view` must be following `log`.
 */
export async function cancelAsLeader(log: EventLog, view: TaskView, id: string): Promise<void> {
  const request = decideCancelRequest(
    { taskId: id, now: Date.now(), node: 'n1', incarnation: 1 },
    view.current(),
  );
  if (!request.ok) throw new Error(`task ${id} cannot be cancelled: ${request.reason}`);
  await log.append('submissions', request.events, 'any');
  await waitFor(() => getTask(view.current(), id)?.cancelRequest !== undefined, {
    what: 'the cancel request',
  });
  await log.append('dispatch', decideTick({ ...leader(), jitter: 0 }, view.current()), 'any');
  await waitFor(() => getTask(view.current(), id)?.status === 'cancelled', { what: 'the cancellation' });
}

/** `inner` with its appends going through `append` instead; reads go straight to `inner`. */
export function withAppend(inner: EventLog, append: EventLog['append']): EventLog {
  return {
    append,
    readStream: (stream, from) => inner.readStream(stream, from),
    readAll: (after) => inner.readAll(after),
    subscribeAll: (after) => inner.subscribeAll(after),
    anomalies$: inner.anomalies$,
    close: () => inner.close(),
  };
}
