/**
 * Where a node's submissions go: to its own stream, submissions-<node>, of which it is the only
 * writer, cancel requests included; the fold takes them in the log's order like any other stream.
 */
import { describe, expect, it } from 'vitest';
import type { NodeState } from '../../src/domain/node/index.ts';
import { getTask, streamOf, submissionsStream } from '../../src/domain/task/index.ts';
import { createMemoryEventLog } from '../../src/infra/log/memory/memory-event-log.ts';
import type { LoggedEvent } from '../../src/infra/log/port.ts';
import type { ZooKeeperSession } from '../../src/infra/zookeeper/index.ts';
import { clusterPaths } from '../../src/streams/cluster-paths.ts';
import type { NodeStore } from '../../src/streams/node-store.ts';
import { createNodeTaskService } from '../../src/streams/node-task-service.ts';
import { submitted } from '../domain/task/fixtures.ts';
import { followingView, unsubscribedAfterEach } from './support/one-node.ts';

const subscriptions = unsubscribedAfterEach();

function serviceOn(node: string) {
  const log = createMemoryEventLog();
  const view = followingView(log, subscriptions);
  const store = { current: () => ({ config: { node }, incarnation: 1 }) as unknown as NodeState };
  const service = createNodeTaskService({
    store: store as unknown as NodeStore,
    paths: clusterPaths('test'),
    execAllow: [],
    target: () => ({ log, view, zk: {} as ZooKeeperSession }),
  });
  return { log, view, service };
}

async function logged(log: ReturnType<typeof createMemoryEventLog>): Promise<LoggedEvent[]> {
  const events: LoggedEvent[] = [];
  for await (const event of log.readAll()) events.push(event);
  return events;
}

describe('a node taking submissions', () => {
  it('appends them and their cancel requests to its own submissions stream', async () => {
    const { log, service } = serviceOn('n2');
    const outcome = await service.submit({ type: 'noop', payload: {} });
    await service.submitBatch([{ type: 'noop', payload: { i: 1 } }]);
    await service.cancel(outcome.task.taskId, 'changed my mind');

    const events = await logged(log);
    expect(events.map((e) => [e.type, e.stream])).toEqual([
      ['TaskSubmitted', 'submissions-n2'],
      ['TaskSubmitted', 'submissions-n2'],
      ['TaskCancelRequested', 'submissions-n2'],
    ]);
  });

  it('still folds submissions of the one shared stream of older logs', async () => {
    const { log, view } = serviceOn('n1');
    const { type, version, data, meta } = submitted('old');
    const { position } = await log.append('submissions', [{ type, version, data, meta }], 'any');
    await view.reached(position);
    expect(getTask(view.current(), 'old')?.status).toBe('pending');
  });
});

describe('streamOf', () => {
  it('names the submitting node’s own stream for a submission', () => {
    const event = submitted('t', {}, 5);
    expect(streamOf(event)).toBe(submissionsStream(event.meta.node));
    expect(submissionsStream('n3')).toBe('submissions-n3');
  });
});
