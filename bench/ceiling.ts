/**
 * The ceiling ZooKeeper sets: raw multi-op commits per second from one client on the ensemble, each
 * shaped like a taskd append (setData of a stream head at the version last seen + a persistent
 * sequential create holding a one-event batch), one in flight, then 16 in flight (each lane its own
 * head). taskd's appends per second during the throughput run are compared to the second.
 */
import { randomUUID } from 'node:crypto';
import { encodeBatch, prepareBatch } from '../src/infra/log/zookeeper/batch-record.ts';
import { createZooKeeperSession } from '../src/infra/zookeeper/index.ts';
import { type LoopResult, measureLoop } from './append-loop.ts';
import { count, type Row, type Section } from './support/report.ts';

const CELL_MS = 2_500;
const IN_FLIGHT = 16;

export interface CeilingFigures {
  readonly sequential: LoopResult;
  readonly pipelined: LoopResult;
  readonly batchBytes: number;
}

/** Measures both cells; taskd's appends per second (from the throughput run) give the ratio. */
export async function measureCeiling(
  zk: string,
  taskd: { readonly appendsPerSecond?: number; readonly eventsPerSecond?: number } | undefined,
): Promise<Section & { figures: CeilingFigures }> {
  const session = createZooKeeperSession({
    connectString: zk,
    sessionTimeoutMs: 10_000,
    requestTimeoutMs: 10_000,
  });
  try {
    const root = `/taskd-bench-ceiling-${randomUUID().slice(0, 8)}`;
    await session.mkdirp(`${root}/events`);
    await session.mkdirp(`${root}/streams`);
    const event = {
      type: 'TaskSucceeded',
      version: 1,
      data: {
        taskId: randomUUID(),
        attempt: 1,
        epoch: 1,
        node: 'n1',
        incarnation: 1,
        result: { echo: { i: 1 } },
      },
      meta: { node: 'n1', incarnation: 1, epoch: 1, at: Date.now() },
    };
    const data = encodeBatch(prepareBatch('runner-n1', [event], randomUUID), 0);
    const cell = async (workers: number) => {
      const versions = new Array<number>(workers).fill(0);
      for (let lane = 0; lane < workers; lane++)
        await session.create(`${root}/streams/s${workers}-${lane}`, { data: '0' });
      return measureLoop({ workers, durationMs: CELL_MS, maxOps: 50_000 }, async (lane) => {
        const [head] = await session.multi([
          {
            op: 'setData',
            path: `${root}/streams/s${workers}-${lane}`,
            data: '1',
            version: versions[lane] as number,
          },
          { op: 'create', path: `${root}/events/runner-n1~`, data, sequential: true },
        ]);
        if (head?.op === 'setData') versions[lane] = head.stat.version;
      });
    };
    const sequential = await cell(1);
    const pipelined = await cell(IN_FLIGHT);
    const figures = { sequential, pipelined, batchBytes: data.length };
    const appends = taskd?.appendsPerSecond;
    const rows: Row[] = [
      {
        measure: 'ZooKeeper ceiling: multi (setData head + create batch) from one client',
        taskd:
          appends === undefined
            ? 'not measured'
            : `${count(appends)} appends/s carrying ${count(taskd?.eventsPerSecond ?? 0)} events/s (throughput run, 3 nodes)`,
        reference: `${count(pipelined.opsPerSecond)}/s with ${IN_FLIGHT} in flight (${count(sequential.opsPerSecond)}/s one at a time)`,
        ...(appends === undefined ? {} : { ratio: appends / pipelined.opsPerSecond }),
        note: `raw multis of ${data.length}-byte batches on the same ensemble; p50 ${sequential.p50Ms.toFixed(2)} ms one at a time, ${pipelined.p50Ms.toFixed(2)} ms with ${IN_FLIGHT} in flight; the ratio is taskd's appends over the 16-in-flight ceiling`,
      },
    ];
    return { name: 'ceiling', rows, raw: figures, figures };
  } finally {
    await session.close();
  }
}
