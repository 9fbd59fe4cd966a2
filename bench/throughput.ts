/**
 * Throughput: no-op tasks per second end to end, taskd on 3 nodes with the zookeeper log (the local
 * 3-server ensemble) and on 1 node with the file log, each beside BullMQ on the bench's redis-server
 * with as many Worker processes and the same concurrency (taskd's --capacity). The runs are in
 * throughput-taskd.ts and throughput-bullmq.ts.
 */

import type { Cleanup } from './support/cleanup.ts';
import { cpuTotal, formatCpu } from './support/cpu-time.ts';
import { count, type Row, type Section } from './support/report.ts';
import { type RunFigures, THROUGHPUT_DEFAULTS, type ThroughputOptions } from './support/workload.ts';
import { bullmqRun } from './throughput-bullmq.ts';
import { type TaskdRunFigures, taskdRun } from './throughput-taskd.ts';

export interface ThroughputFigures {
  readonly zk3: TaskdRunFigures;
  readonly file1: TaskdRunFigures;
  readonly bull3: RunFigures;
  readonly bull1: RunFigures;
}

/** CPU seconds per 1,000 tasks: taskd's nodes (and its ZooKeeper servers) against BullMQ's workers and redis. */
function cpuRow(taskd: RunFigures, bull: RunFigures, measure: string): Row {
  return {
    measure,
    taskd: formatCpu(taskd.cpu),
    reference: `BullMQ: ${formatCpu(bull.cpu)}`,
    ratio: cpuTotal(taskd.cpu) / cpuTotal(bull.cpu),
    note: 'user + system time of the server processes over each run (/proc), per 1,000 tasks done; the bench client (submitting, polling) is counted on neither side. A machine near 100% busy is CPU-bound: the rate is then CPU per task',
  };
}

/** The four runs, one after another. */
export async function measureThroughput(
  cleanup: Cleanup,
  zk: { readonly connectString: string; readonly pids: readonly number[] },
  redis: { readonly port: number; readonly pid: number },
  options: ThroughputOptions = THROUGHPUT_DEFAULTS,
): Promise<Section & { figures: ThroughputFigures }> {
  const zk3 = await taskdRun(cleanup, zk.connectString, 3, 'zookeeper', options, zk.pids);
  const bull3 = await bullmqRun(cleanup, redis.port, 3, options, redis.pid);
  const file1 = await taskdRun(cleanup, zk.connectString, 1, 'file', options);
  const bull1 = await bullmqRun(cleanup, redis.port, 1, options, redis.pid);
  const rate = (run: RunFigures) =>
    `${count(run.perSecond)}/s${run.complete ? '' : ` (only ${count(run.done)} of ${count(run.tasks)} done)`}`;
  const row = (taskd: RunFigures, bull: RunFigures, measure: string): Row => ({
    measure,
    taskd: rate(taskd),
    reference: `${bull.label}: ${rate(bull)}`,
    ratio: taskd.perSecond / bull.perSecond,
    aim: '≥ 1',
    met: taskd.perSecond >= bull.perSecond,
    note: `${count(taskd.done)} noop tasks in ${taskd.seconds.toFixed(1)} s (BullMQ: ${count(bull.done)} in ${bull.seconds.toFixed(1)} s), after ${count(options.warmupTasks)} sent the same way and not counted; batches of ${options.batch}, ${options.inFlight} in flight, concurrency ${options.capacity} per node/worker (taskd prefetch ${options.prefetch})`,
  });
  const worst = (values: readonly number[]) => Math.max(...values);
  const lag = (run: TaskdRunFigures) => worst(run.eventLoopP99Ms);
  const rows: Row[] = [
    row(zk3, bull3, 'throughput: 3 nodes, zookeeper log (ensemble of 3)'),
    row(file1, bull1, 'throughput: 1 node, file log (fsync always)'),
    cpuRow(zk3, bull3, 'CPU per 1,000 tasks, 3 nodes (where the cores went)'),
    cpuRow(file1, bull1, 'CPU per 1,000 tasks, 1 node'),
    {
      measure: 'event-loop delay p99 under throughput load (worst node)',
      taskd: `${lag(zk3).toFixed(0)} ms (3 nodes zk), ${lag(file1).toFixed(0)} ms (1 node file)`,
      reference: `idle: ${worst(zk3.idleEventLoopP99Ms).toFixed(0)} ms / ${worst(file1.idleEventLoopP99Ms).toFixed(0)} ms`,
      ratio: lag(zk3) / worst(zk3.idleEventLoopP99Ms),
      note: `nodejs_eventloop_lag_p99_seconds (prom-client, 10 ms resolution) over each run, against one idle second before it; ratio for the 3-node run; max ${worst(zk3.eventLoopMaxMs).toFixed(0)} ms / ${worst(file1.eventLoopMaxMs).toFixed(0)} ms`,
    },
  ];
  return {
    name: 'throughput',
    rows,
    raw: { options, zk3, bull3, file1, bull1 },
    figures: { zk3, file1, bull3, bull1 },
  };
}
