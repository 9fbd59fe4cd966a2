/**
 * Cancelling through a node whose fold lags behind the task log (unit level, in-memory log): the
 * answer comes from the fold up to the request, so a task that ended first is reported as finished,
 * not as a cancel accepted.
 */
import { describe, expect, it } from 'vitest';
import type { NodeState } from '../../src/domain/node/index.ts';
import { getTask, type TasksState } from '../../src/domain/task/index.ts';
import { createMemoryEventLog } from '../../src/infra/log/memory/memory-event-log.ts';
import type { EventLog } from '../../src/infra/log/port.ts';
import type { ZooKeeperSession } from '../../src/infra/zookeeper/index.ts';
import { clusterPaths } from '../../src/streams/cluster-paths.ts';
import type { NodeStore } from '../../src/streams/node-store.ts';
import { createNodeTaskService } from '../../src/streams/node-task-service.ts';
import type { TaskView } from '../../src/streams/task-view.ts';
import { waitFor } from '../support/wait-for.ts';
import { followingView, startRunner, submitAndAssign, unsubscribedAfterEach } from './support/one-node.ts';

const subscriptions = unsubscribedAfterEach();
const store = { current: () => ({ config: { node: 'n1' }, incarnation: 1 }) as unknown as NodeState };

/** Submits one noop task and assigns it to n1, without a runner yet. */
async function assignedTask(log: EventLog, view: TaskView): Promise<string> {
  const [id] = await submitAndAssign(log, view, [{ type: 'noop', payload: {} }]);
  if (id === undefined) throw new Error('no task submitted');
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
    const view = followingView(log, subscriptions);
    const id = await assignedTask(log, view);
    const stale = view.current();

    await startRunner(log, view, subscriptions);
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
