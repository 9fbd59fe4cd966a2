/**
 * Cancelling through a node whose fold lags behind the task log (unit level, in-memory log): the
 * answer comes from the fold up to the request, so a task that ended first is reported as finished,
 * not as a cancel accepted.
 */
import { randomUUID } from 'node:crypto';
import { asyncScheduler, type Subscription } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { MembersView } from '../../src/domain/members.ts';
import type { NodeState } from '../../src/domain/node/index.ts';
import {
  decideAssignments,
  decideSubmission,
  decideTakeover,
  getTask,
  type TasksState,
  validateSubmission,
} from '../../src/domain/task/index.ts';
import { loadHandlers } from '../../src/infra/handlers/registry.ts';
import { createMemoryEventLog } from '../../src/infra/log/memory/memory-event-log.ts';
import type { EventLog } from '../../src/infra/log/port.ts';
import type { ZooKeeperSession } from '../../src/infra/zookeeper/index.ts';
import { clusterPaths } from '../../src/streams/cluster-paths.ts';
import type { NodeStore } from '../../src/streams/node-store.ts';
import { createNodeTaskService } from '../../src/streams/node-task-service.ts';
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
const store = { current: () => ({ config: { node: 'n1' }, incarnation: 1 }) as unknown as NodeState };

/** Submits one noop task and assigns it to n1, without a runner yet. */
async function assignedTask(log: EventLog, view: TaskView): Promise<string> {
  await log.append('dispatch', decideTakeover({ ...leader(), members, jitter: 0 }, view.current()), 'any');
  const validation = validateSubmission({ type: 'noop', payload: {} });
  if (!validation.ok) throw new Error('invalid submission');
  const id = randomUUID();
  const context = { taskId: id, now: Date.now(), node: 'n1', incarnation: 1 };
  await log.append('submissions', decideSubmission(validation.value, context, view.current()).events, 'any');
  await waitFor(() => getTask(view.current(), id) !== undefined, { what: 'the submission' });
  await log.append('dispatch', decideAssignments({ ...leader(), members }, view.current()), 'any');
  await waitFor(() => getTask(view.current(), id)?.status === 'assigned', { what: 'the assignment' });
  return id;
}

/** `view`, but showing `stale` until the service waits for a position (then it has caught up). */
function lagging(view: TaskView, stale: TasksState): TaskView {
  let behind = true;
  return {
    ...view,
    current: () => (behind ? stale : view.current()),
    reached: async (position) => {
      await view.reached(position);
      behind = false;
    },
  };
}

describe('a cancel on a node whose fold lags', () => {
  it('answers already-finished for a task that succeeded before the request, and folds no anomaly', async () => {
    const log = createMemoryEventLog();
    const view = createTaskView(log);
    subscriptions.push(view.start().subscribe());
    const id = await assignedTask(log, view);
    const stale = view.current();

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
    subscriptions.push(runner.run$.subscribe());
    await waitFor(() => getTask(view.current(), id)?.status === 'succeeded', { what: 'the task to succeed' });

    const service = createNodeTaskService({
      store: store as unknown as NodeStore,
      paths: clusterPaths('test'),
      execAllow: [],
      target: () => ({ log, view: lagging(view, stale), zk: {} as ZooKeeperSession }),
    });
    const outcome = await service.cancel(id, 'too late');
    expect(outcome.kind).toBe('already-finished');
    expect(outcome.kind === 'already-finished' && outcome.task.status).toBe('succeeded');
    expect(view.current().anomalyCount).toBe(0);
  });
});
