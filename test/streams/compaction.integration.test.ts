/**
 * Compaction by the leader on a real ZooKeeper task log: what retired tasks left behind goes, the
 * fence and the unretired tasks stay, and a node that folds the compacted log from scratch agrees.
 */
import { asyncScheduler, firstValueFrom, type Subscription } from 'rxjs';
import { filter, take } from 'rxjs/operators';
import { afterEach, describe, expect, it } from 'vitest';
import { getTask } from '../../src/domain/task/index.ts';
import type { EventLog } from '../../src/infra/log/port.ts';
import {
  openZooKeeperEventLog,
  type ZooKeeperEventLog,
} from '../../src/infra/log/zookeeper/zookeeper-event-log.ts';
import { compaction$ } from '../../src/streams/compaction.ts';
import { createTaskView } from '../../src/streams/task-view.ts';
import {
  assigned,
  epochStarted,
  ref,
  retired,
  started,
  submitted,
  succeeded,
} from '../domain/task/fixtures.ts';
import { waitFor } from '../support/wait-for.ts';
import { useZooKeeper } from '../support/zookeeper.ts';
import { leaderStore } from './support/leader-store.ts';

const zookeeper = useZooKeeper({ servers: 1 });
const opened: EventLog[] = [];
const subscriptions: Subscription[] = [];
afterEach(async () => {
  for (const s of subscriptions.splice(0)) s.unsubscribe();
  for (const log of opened.splice(0)) await log.close();
});

async function openLog(cluster: string): Promise<ZooKeeperEventLog> {
  const log = await openZooKeeperEventLog({
    cluster,
    connection: {
      connectString: zookeeper().connectString,
      sessionTimeoutMs: 4_000,
      requestTimeoutMs: 3_000,
    },
  });
  opened.push(log);
  return log;
}

async function countEvents(log: EventLog): Promise<number> {
  let n = 0;
  for await (const _ of log.readAll()) n++;
  return n;
}

describe('compaction by the leader', () => {
  it('drops what retired tasks left, keeps the fence and live tasks, and a fresh fold agrees', async () => {
    const cluster = `compact${Date.now().toString(36)}`;
    const log = await openLog(cluster);
    await log.append('dispatch', [epochStarted(1)], 'no_stream');
    for (const id of ['old1', 'old2']) {
      const r = ref(id);
      await log.append('submissions', [submitted(id)], 'any');
      await log.append('dispatch', [assigned(id, r)], 'any');
      await log.append(`runner-${r.node}`, [started(r), succeeded(r)], 'any');
      await log.append('dispatch', [retired(id)], 'any');
    }
    await log.append('submissions', [submitted('live')], 'any');
    const before = await countEvents(log);

    const view = createTaskView(log);
    subscriptions.push(view.start().subscribe());
    await waitFor(() => view.caughtUp() && getTask(view.current(), 'live') !== undefined, {
      what: 'the fold',
    });
    const point = view.compactionPoint();
    expect(point?.keep.map((e) => e.type)).toEqual(['EpochStarted']);

    let compacted: { upTo: number; deletedBatches: number } | undefined;
    subscriptions.push(
      compaction$({
        log,
        view,
        store: leaderStore('n0', 1, 1),
        scheduler: asyncScheduler,
        everyMs: 50,
        minRetired: 2,
        onCompacted: (r) => (compacted = r),
      }).subscribe(),
    );
    await waitFor(() => compacted, { what: 'a compaction' });
    expect(compacted?.deletedBatches).toBeGreaterThan(0);
    const after = await countEvents(log);
    expect(after).toBeLessThan(before);

    // A node folding the compacted log from scratch: the fence holds, the live task is there.
    const fresh = createTaskView(await openLog(cluster));
    subscriptions.push(fresh.start().subscribe());
    await firstValueFrom(
      fresh.state$.pipe(
        filter(() => fresh.caughtUp()),
        take(1),
      ),
    );
    expect(fresh.current().epoch).toBe(1);
    expect(getTask(fresh.current(), 'live')?.status).toBe('pending');
    expect(getTask(fresh.current(), 'old1')).toBeUndefined();
  });
});
