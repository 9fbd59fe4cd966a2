/**
 * The measuring loop of the append benchmarks: `workers` callers, each awaiting one operation after
 * another, for a fixed measured time, recording each latency. Work can be cut into rounds of at most
 * `roundOps` operations with an untimed `between` step after each (to delete what a round stored).
 */
import { performance } from 'node:perf_hooks';

export interface LoopOptions {
  readonly workers: number;
  /** Measured time, summed over rounds. */
  readonly durationMs: number;
  /** Stops sooner once this many operations ran. */
  readonly maxOps: number;
  /** Operations per round; default: one round. */
  readonly roundOps?: number;
  /** Runs between rounds, outside the measured time. */
  readonly between?: () => Promise<void>;
}

export interface LoopResult {
  readonly ops: number;
  readonly elapsedMs: number;
  readonly opsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** Runs `op(worker, n)` in `workers` sequential lanes and summarises the latencies. */
export async function measureLoop(
  options: LoopOptions,
  op: (worker: number, n: number) => Promise<unknown>,
): Promise<LoopResult> {
  const latencies: number[] = [];
  const counters = new Array<number>(options.workers).fill(0);
  let elapsedMs = 0;
  while (elapsedMs < options.durationMs && latencies.length < options.maxOps) {
    const started = performance.now();
    const deadline = started + options.durationMs - elapsedMs;
    const cap = Math.min(options.roundOps ?? Number.POSITIVE_INFINITY, options.maxOps - latencies.length);
    let issued = 0;
    const lane = async (worker: number): Promise<void> => {
      while (performance.now() < deadline && issued < cap) {
        issued += 1;
        const n = counters[worker]!;
        counters[worker] = n + 1;
        const begin = performance.now();
        await op(worker, n);
        latencies.push(performance.now() - begin);
      }
    };
    await Promise.all(Array.from({ length: options.workers }, (_, worker) => lane(worker)));
    elapsedMs += performance.now() - started;
    if (options.between && elapsedMs < options.durationMs) await options.between();
  }
  latencies.sort((a, b) => a - b);
  return {
    ops: latencies.length,
    elapsedMs,
    opsPerSecond: (latencies.length / elapsedMs) * 1000,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  };
}

/** The nearest-rank percentile of sorted values (0 when there are none). */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] ?? 0;
}
