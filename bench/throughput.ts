/**
 * Throughput: no-op tasks per second end to end, from the first POST /v1/tasks:batch to every task
 * seen succeeded in GET /v1/cluster's counts. taskd on 3 nodes with the zookeeper log (the local
 * 3-server ensemble) and on 1 node with the file log; BullMQ on the bench's redis-server with the
 * same number of Worker processes and the same concurrency (taskd's --capacity), jobs added with
 * addBulk in batches of the same size, completions seen in getJobCounts polled as often.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NodeProcess } from '../src/cli/local-cluster/node-process.ts';
import { sequenceOf } from '../src/infra/log/zookeeper/positions.ts';
import { openQueue, startWorkers } from './support/bullmq.ts';
import type { Cleanup } from './support/cleanup.ts';
import { count, type Row, type Section } from './support/report.ts';
import {
  finished,
  metricValues,
  readTaskLog,
  startCluster,
  submitBatch,
  taskCounts,
} from './support/taskd-cluster.ts';

export interface ThroughputOptions {
  readonly tasks: number;
  /** Tasks per POST /v1/tasks:batch and per addBulk. */
  readonly batch: number;
  /** Batches in flight at once. */
  readonly inFlight: number;
  readonly capacity: number;
  /** A run not done by then is reported with what finished. */
  readonly deadlineMs: number;
  /** How often completion is polled: GET /v1/cluster costs a node a scan of every task, Redis counts do not. */
  readonly taskdPollMs: number;
  readonly pollMs: number;
}

export const THROUGHPUT_DEFAULTS: ThroughputOptions = {
  tasks: 20_000,
  batch: 1_000,
  inFlight: 2,
  capacity: 32,
  deadlineMs: 60_000,
  taskdPollMs: 250,
  pollMs: 50,
};

export interface RunFigures {
  readonly label: string;
  readonly tasks: number;
  readonly done: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly complete: boolean;
}

export interface TaskdRunFigures extends RunFigures {
  /** Appends to the task log per second over the run (zookeeper log only). */
  readonly appendsPerSecond?: number;
  readonly appendsByStream?: Record<string, number>;
  /** Events those appends carried, per second. */
  readonly eventsPerSecond?: number;
  /** Each node's nodejs_eventloop_lag_p99_seconds over the run, in ms. */
  readonly eventLoopP99Ms: readonly number[];
  readonly eventLoopMaxMs: readonly number[];
  /** The same, over one idle second before the run. */
  readonly idleEventLoopP99Ms: readonly number[];
}

export interface ThroughputFigures {
  readonly zk3: TaskdRunFigures;
  readonly file1: TaskdRunFigures;
  readonly bull3: RunFigures;
  readonly bull1: RunFigures;
}

const noop = (i: number) => ({ type: 'noop', payload: { i } });

/** Polls `done()` until it reaches `total` or the deadline; returns the count and the seconds since `t0`. */
async function waitDone(done: () => Promise<number>, total: number, t0: number, options: ThroughputOptions) {
  let seen = 0;
  while (performance.now() - t0 < options.deadlineMs) {
    seen = await done().catch(() => seen);
    if (seen >= total) break;
    await sleep(options.pollMs);
  }
  return { done: seen, seconds: (performance.now() - t0) / 1000 };
}

/** `lanes` loops taking the next batch index until all are sent. */
async function sendBatches(batches: number, lanes: number, send: (index: number) => Promise<unknown>) {
  let next = 0;
  const lane = async () => {
    while (next < batches) await send(next++);
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}

function figures(label: string, tasks: number, done: number, seconds: number): RunFigures {
  return { label, tasks, done, seconds, perSecond: done / seconds, complete: done >= tasks };
}

/** One taskd run on a fresh cluster, stopped before this returns. */
export async function taskdRun(
  parent: Cleanup,
  zk: string,
  size: number,
  backend: 'zookeeper' | 'file',
  options: ThroughputOptions,
): Promise<TaskdRunFigures> {
  const cleanup = parent.child();
  try {
    const cluster = await startCluster(cleanup, {
      zk,
      size,
      logBackend: backend,
      capacity: options.capacity,
    });
    const { nodes } = cluster;
    // Each scrape starts a new window of prom-client's event-loop histogram: one second idle first.
    const LAG = ['nodejs_eventloop_lag_p99_seconds', 'nodejs_eventloop_lag_max_seconds'];
    const lagWindow = async () => {
      const lags = await Promise.all(nodes.map((node) => metricValues(node, LAG)));
      return lags.map((l) => 1000 * (l[LAG[0] as string] ?? Number.NaN));
    };
    await lagWindow();
    await sleep(1_000);
    const idleEventLoopP99Ms = await lagWindow();
    const batches = Math.ceil(options.tasks / options.batch);
    const t0 = performance.now();
    const startedAt = Date.now();
    const sending = sendBatches(batches, options.inFlight, (b) =>
      submitBatch(
        nodes[b % nodes.length] as NodeProcess,
        Array.from({ length: Math.min(options.batch, options.tasks - b * options.batch) }, (_, i) =>
          noop(b * options.batch + i),
        ),
      ),
    );
    sending.catch(() => undefined);
    const polled = await waitDone(
      async () => finished((await taskCounts(nodes[0] as NodeProcess)) ?? (await Promise.reject())),
      options.tasks,
      t0,
      { ...options, pollMs: options.taskdPollMs },
    );
    const lags = await Promise.all(nodes.map((node) => metricValues(node, LAG)));
    const eventLoopP99Ms = lags.map((l) => 1000 * (l[LAG[0] as string] ?? Number.NaN));
    const eventLoopMaxMs = lags.map((l) => 1000 * (l[LAG[1] as string] ?? Number.NaN));
    await sending.catch(() => undefined);
    // The end is the last task's TaskSucceeded as logged (meta.at, this machine's clock): polling
    // only tells when to look.
    const log = await readTaskLog(cluster);
    const ends = log.filter((e) => e.type === 'TaskSucceeded' || e.type === 'TaskFailed');
    // Polling can miss the end (a busy node answers late): the log has the last word.
    const complete = polled.done >= options.tasks || ends.length >= options.tasks;
    const endedAt = complete ? Math.max(...ends.map((e) => e.meta.at)) : startedAt + polled.seconds * 1000;
    const seconds = (endedAt - startedAt) / 1000;
    const done = ends.filter((e) => e.meta.at <= endedAt).length;
    const label = `taskd ${size} node${size > 1 ? 's' : ''}, ${backend} log`;
    const base = {
      ...figures(label, options.tasks, done, seconds),
      eventLoopP99Ms,
      eventLoopMaxMs,
      idleEventLoopP99Ms,
    };
    if (backend !== 'zookeeper') return base;
    // One append is one batch znode: its sequence is the position's upper digits.
    const inRun = log.filter((e) => e.meta.at >= startedAt && e.meta.at <= endedAt);
    const appendsByStream: Record<string, number> = {};
    for (const sequence of new Set(inRun.map((e) => `${e.stream}\u0000${sequenceOf(e.position)}`))) {
      const stream = sequence.slice(0, sequence.indexOf('\u0000'));
      appendsByStream[stream] = (appendsByStream[stream] ?? 0) + 1;
    }
    const appends = Object.values(appendsByStream).reduce((a, b) => a + b, 0);
    return {
      ...base,
      appendsByStream,
      appendsPerSecond: appends / seconds,
      eventsPerSecond: inRun.length / seconds,
    };
  } finally {
    await cleanup.run();
  }
}

/** One BullMQ run: `workers` processes of `options.capacity` concurrency, on a fresh queue. */
export async function bullmqRun(
  parent: Cleanup,
  redisPort: number,
  workers: number,
  options: ThroughputOptions,
): Promise<RunFigures> {
  const cleanup = parent.child();
  try {
    const queue = openQueue(cleanup, redisPort);
    await startWorkers(cleanup, redisPort, queue.name, workers, options.capacity);
    const batches = Math.ceil(options.tasks / options.batch);
    const t0 = performance.now();
    const startedAt = Date.now();
    const adding = sendBatches(batches, options.inFlight, (b) =>
      queue.addBulk(
        Array.from({ length: Math.min(options.batch, options.tasks - b * options.batch) }, (_, i) => ({
          name: 'noop',
          data: { i: b * options.batch + i },
        })),
      ),
    );
    adding.catch(() => undefined);
    const { done, seconds } = await waitDone(
      async () => {
        const counts = await queue.getJobCounts('completed', 'failed');
        return (counts.completed ?? 0) + (counts.failed ?? 0);
      },
      options.tasks,
      t0,
      options,
    );
    await adding.catch(() => undefined);
    // The end is the newest completed job's finishedOn (the completed set is ordered by it).
    const [last] = await queue.getJobs(['completed'], 0, 0, false);
    const exact = done >= options.tasks && last?.finishedOn !== undefined;
    const elapsed = exact ? ((last?.finishedOn as number) - startedAt) / 1000 : seconds;
    return figures(
      `BullMQ ${workers} worker process${workers > 1 ? 'es' : ''}`,
      options.tasks,
      done,
      elapsed,
    );
  } finally {
    await cleanup.run();
  }
}

/** The four runs, one after another. */
export async function measureThroughput(
  cleanup: Cleanup,
  zk: string,
  redisPort: number,
  options: ThroughputOptions = THROUGHPUT_DEFAULTS,
): Promise<Section & { figures: ThroughputFigures }> {
  const zk3 = await taskdRun(cleanup, zk, 3, 'zookeeper', options);
  const bull3 = await bullmqRun(cleanup, redisPort, 3, options);
  const file1 = await taskdRun(cleanup, zk, 1, 'file', options);
  const bull1 = await bullmqRun(cleanup, redisPort, 1, options);
  const rate = (run: RunFigures) =>
    `${count(run.perSecond)}/s${run.complete ? '' : ` (only ${count(run.done)} of ${count(run.tasks)} done)`}`;
  const row = (taskd: RunFigures, bull: RunFigures, measure: string): Row => ({
    measure,
    taskd: rate(taskd),
    reference: `${bull.label}: ${rate(bull)}`,
    ratio: taskd.perSecond / bull.perSecond,
    aim: '≥ 1',
    met: taskd.perSecond >= bull.perSecond,
    note: `${count(taskd.done)} noop tasks in ${taskd.seconds.toFixed(1)} s (BullMQ: ${count(bull.done)} in ${bull.seconds.toFixed(1)} s); batches of ${options.batch}, ${options.inFlight} in flight, concurrency ${options.capacity} per node/worker`,
  });
  const worst = (values: readonly number[]) => Math.max(...values);
  const lag = (run: TaskdRunFigures) => worst(run.eventLoopP99Ms);
  const rows: Row[] = [
    row(zk3, bull3, 'throughput: 3 nodes, zookeeper log (ensemble of 3)'),
    row(file1, bull1, 'throughput: 1 node, file log (fsync always)'),
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
