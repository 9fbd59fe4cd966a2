/**
 * One taskd throughput run: a fresh cluster, a warm-up not counted (workload.ts), then no-op tasks
 * through POST /v1/tasks:batch (round-robin over the nodes), until the last task's TaskSucceeded in
 * the task log (its meta.at: polling GET /v1/cluster's counts only says when to look). Also each node's event-loop delay over the run
 * and, on the zookeeper log, the appends the run made (one batch znode each).
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NodeProcess } from '../src/cli/local-cluster/node-process.ts';
import { sequenceOf } from '../src/infra/log/zookeeper/positions.ts';
import type { Cleanup } from './support/cleanup.ts';
import { cpuWindow } from './support/cpu-time.ts';
import {
  finished,
  metricValues,
  readTaskLog,
  startCluster,
  submitBatch,
  taskCounts,
} from './support/taskd-cluster.ts';
import {
  cpuPerThousand,
  figures,
  noop,
  type RunFigures,
  sendBatches,
  type ThroughputOptions,
  waitDone,
} from './support/workload.ts';

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

/** One taskd run on a fresh cluster, stopped before this returns. */
export async function taskdRun(
  parent: Cleanup,
  zk: string,
  size: number,
  backend: 'zookeeper' | 'file',
  options: ThroughputOptions,
  /** The ZooKeeper servers' pids, for the CPU they spend on the run (zookeeper log). */
  zookeeperPids: readonly number[] = [],
): Promise<TaskdRunFigures> {
  const cleanup = parent.child();
  try {
    const cluster = await startCluster(cleanup, {
      zk,
      size,
      logBackend: backend,
      capacity: options.capacity,
      extraArgs: ['--prefetch', String(options.prefetch)],
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
    const finishedNow = async () =>
      finished((await taskCounts(nodes[0] as NodeProcess)) ?? (await Promise.reject()));
    const send = (first: number, tasks: number) =>
      sendBatches(options, first, tasks, (b, numbers) =>
        submitBatch(nodes[b % nodes.length] as NodeProcess, numbers.map(noop)),
      );
    await send(0, options.warmupTasks);
    await waitDone(finishedNow, options.warmupTasks, performance.now(), {
      ...options,
      pollMs: options.taskdPollMs,
    });
    const cpu = cpuWindow({
      nodes: nodes.map((node) => node.pid ?? 0),
      ...(backend === 'zookeeper' ? { zookeeper: zookeeperPids } : {}),
    });
    const t0 = performance.now();
    const startedAt = Date.now();
    const sending = send(options.warmupTasks, options.tasks);
    sending.catch(() => undefined);
    const polled = await waitDone(
      async () => (await finishedNow()) - options.warmupTasks,
      options.tasks,
      t0,
      { ...options, pollMs: options.taskdPollMs },
    );
    const cpuUse = cpu.stop();
    const lags = await Promise.all(nodes.map((node) => metricValues(node, LAG)));
    const eventLoopP99Ms = lags.map((l) => 1000 * (l[LAG[0] as string] ?? Number.NaN));
    const eventLoopMaxMs = lags.map((l) => 1000 * (l[LAG[1] as string] ?? Number.NaN));
    await sending.catch(() => undefined);
    // The end is the last task's TaskSucceeded as logged (meta.at, this machine's clock): polling
    // only tells when to look.
    const log = await readTaskLog(cluster);
    const ends = log.filter(
      (e) => (e.type === 'TaskSucceeded' || e.type === 'TaskFailed') && e.meta.at >= startedAt,
    );
    // Polling can miss the end (a busy node answers late): the log has the last word.
    const complete = polled.done >= options.tasks || ends.length >= options.tasks;
    const endedAt = complete ? Math.max(...ends.map((e) => e.meta.at)) : startedAt + polled.seconds * 1000;
    const seconds = (endedAt - startedAt) / 1000;
    const done = ends.filter((e) => e.meta.at <= endedAt).length;
    const label = `taskd ${size} node${size > 1 ? 's' : ''}, ${backend} log`;
    const base = {
      ...figures(label, options.tasks, done, seconds),
      cpu: cpuPerThousand(cpuUse, done),
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
