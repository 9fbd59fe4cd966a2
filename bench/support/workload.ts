/**
 * What the throughput runs share: the workload's options, the figures every run reports, and the
 * loops that send batches and wait for the end.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CpuUse } from './cpu-time.ts';

export interface ThroughputOptions {
  readonly tasks: number;
  /**
   * Tasks sent the same way first, and waited for, but not counted (taskd and BullMQ alike): the
   * figure is the steady rate, not that of processes whose code V8 (or the ZooKeeper servers' JVM)
   * has not optimized yet.
   */
  readonly warmupTasks: number;
  /** Tasks per POST /v1/tasks:batch and per addBulk. */
  readonly batch: number;
  /** Batches in flight at once. */
  readonly inFlight: number;
  readonly capacity: number;
  /**
   * taskd's --prefetch: assignments a node queues beyond its capacity. Concurrency stays `capacity`
   * (as a BullMQ worker's); the queue spares a runner the wait for the leader between two no-op tasks.
   */
  readonly prefetch: number;
  /** A run not done by then is reported with what finished. */
  readonly deadlineMs: number;
  /** How often completion is polled (the figure comes from the task log's timestamps, not from the poll). */
  readonly taskdPollMs: number;
  readonly pollMs: number;
}

export const THROUGHPUT_DEFAULTS: ThroughputOptions = {
  tasks: 20_000,
  warmupTasks: 4_000,
  batch: 1_000,
  inFlight: 2,
  capacity: 32,
  prefetch: 32,
  deadlineMs: 60_000,
  taskdPollMs: 250,
  pollMs: 50,
};

export interface RunFigures {
  readonly label: string;
  /** CPU seconds per 1,000 tasks over the run, by group of processes, and how busy the machine was. */
  readonly cpu?: CpuUse;
  readonly tasks: number;
  readonly done: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly complete: boolean;
}

/** The task every run submits. */
export const noop = (i: number) => ({ type: 'noop', payload: { i } });

/** Polls `done()` until it reaches `total` or the deadline; returns the count and the seconds since `t0`. */
export async function waitDone(
  done: () => Promise<number>,
  total: number,
  t0: number,
  options: ThroughputOptions,
) {
  let seen = 0;
  while (performance.now() - t0 < options.deadlineMs) {
    seen = await done().catch(() => seen);
    if (seen >= total) break;
    await sleep(options.pollMs);
  }
  return { done: seen, seconds: (performance.now() - t0) / 1000 };
}

/**
 * Sends the task numbers `first` … `first + count - 1` in batches of `options.batch`, with
 * `options.inFlight` batches in flight; `send` gets each batch's index (from 0) and its numbers.
 */
export async function sendBatches(
  options: Pick<ThroughputOptions, 'batch' | 'inFlight'>,
  first: number,
  count: number,
  send: (index: number, numbers: number[]) => Promise<unknown>,
) {
  const batches = Math.ceil(count / options.batch);
  let next = 0;
  const lane = async () => {
    while (next < batches) {
      const index = next++;
      const start = index * options.batch;
      const size = Math.min(options.batch, count - start);
      await send(
        index,
        Array.from({ length: size }, (_, i) => first + start + i),
      );
    }
  };
  await Promise.all(Array.from({ length: options.inFlight }, lane));
}

/** Figures of a run that finished `done` of `tasks` in `seconds`. */
export function figures(label: string, tasks: number, done: number, seconds: number): RunFigures {
  return { label, tasks, done, seconds, perSecond: done / seconds, complete: done >= tasks };
}

/** `use` as CPU seconds per 1,000 tasks done. */
export function cpuPerThousand(use: CpuUse, done: number): CpuUse {
  const per = (seconds: number) => (done > 0 ? (1000 * seconds) / done : Number.NaN);
  return {
    seconds: Object.fromEntries(Object.entries(use.seconds).map(([name, s]) => [name, per(s)])),
    machineBusy: use.machineBusy,
  };
}
