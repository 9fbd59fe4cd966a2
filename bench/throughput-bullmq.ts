/**
 * One BullMQ throughput run on the bench's redis-server: `workers` Worker processes with no-op
 * processors at taskd's concurrency, jobs added with addBulk in the same batches (after the same
 * warm-up, not counted), until the newest completed job's finishedOn (polling getJobCounts only says
 * when to look).
 */
import { performance } from 'node:perf_hooks';
import { openQueue, startWorkers } from './support/bullmq.ts';
import type { Cleanup } from './support/cleanup.ts';
import { cpuWindow } from './support/cpu-time.ts';
import {
  cpuPerThousand,
  figures,
  type RunFigures,
  sendBatches,
  type ThroughputOptions,
  waitDone,
} from './support/workload.ts';

/** One BullMQ run: `workers` processes of `options.capacity` concurrency, on a fresh queue. */
export async function bullmqRun(
  parent: Cleanup,
  redisPort: number,
  workers: number,
  options: ThroughputOptions,
  redisPid?: number,
): Promise<RunFigures> {
  const cleanup = parent.child();
  try {
    const queue = openQueue(cleanup, redisPort);
    const children = await startWorkers(cleanup, redisPort, queue.name, workers, options.capacity);
    const finishedNow = async () => {
      const counts = await queue.getJobCounts('completed', 'failed');
      return (counts.completed ?? 0) + (counts.failed ?? 0);
    };
    const add = (first: number, tasks: number) =>
      sendBatches(options, first, tasks, (_, numbers) =>
        queue.addBulk(numbers.map((i) => ({ name: 'noop', data: { i } }))),
      );
    await add(0, options.warmupTasks);
    await waitDone(finishedNow, options.warmupTasks, performance.now(), options);
    const cpu = cpuWindow({
      workers: children.map((child) => child.pid ?? 0),
      ...(redisPid === undefined ? {} : { redis: [redisPid] }),
    });
    const t0 = performance.now();
    const startedAt = Date.now();
    const adding = add(options.warmupTasks, options.tasks);
    adding.catch(() => undefined);
    const { done, seconds } = await waitDone(
      async () => (await finishedNow()) - options.warmupTasks,
      options.tasks,
      t0,
      options,
    );
    const cpuUse = cpu.stop();
    await adding.catch(() => undefined);
    // The end is the newest completed job's finishedOn (the completed set is ordered by it).
    const [last] = await queue.getJobs(['completed'], 0, 0, false);
    const exact = done >= options.tasks && last?.finishedOn !== undefined;
    const elapsed = exact ? ((last?.finishedOn as number) - startedAt) / 1000 : seconds;
    return {
      ...figures(`BullMQ ${workers} worker process${workers > 1 ? 'es' : ''}`, options.tasks, done, elapsed),
      cpu: cpuPerThousand(cpuUse, done),
    };
  } finally {
    await cleanup.run();
  }
}
