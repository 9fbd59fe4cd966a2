/**
 * Where the latency aim holds on this machine: taskd alone (3 nodes, zookeeper log, as in the
 * latency section) at offered loads below the section's, each on a fresh cluster with a shorter
 * window. One row: the highest of these rates whose p99 submit → started is under 50 ms; each rate's
 * p50 / p99, CPU per task and how busy the machine was in the note. BENCH_LATENCY_CURVE="100,200"
 * picks other rates.
 */

import { type LatencyFigures, type LatencyOptions, taskdLatency } from './latency.ts';
import type { Cleanup } from './support/cleanup.ts';
import { cpuTotal } from './support/cpu-time.ts';
import type { Section } from './support/report.ts';

const AIM_MS = 50;

export const CURVE_DEFAULTS = {
  rates: (process.env.BENCH_LATENCY_CURVE ?? '100,200,300,400').split(',').map(Number),
  seconds: 8,
  warmupSeconds: 2,
  capacity: 32,
  drainMs: 20_000,
};

export async function measureLatencyCurve(
  cleanup: Cleanup,
  zk: { readonly connectString: string; readonly pids: readonly number[] },
  options = CURVE_DEFAULTS,
): Promise<Section> {
  const points: { rate: number; figures: LatencyFigures }[] = [];
  for (const rate of options.rates) {
    const at: LatencyOptions = { ...options, rate };
    points.push({ rate, figures: await taskdLatency(cleanup, zk.connectString, at, zk.pids) });
  }
  const holds = (f: LatencyFigures) => f.started.p99 < AIM_MS && f.started.count === f.sent;
  const best = points.filter((p) => holds(p.figures)).at(-1);
  const text = ({ rate, figures: f }: (typeof points)[number]) =>
    `${rate}/s: p50 ${f.started.p50.toFixed(0)} / p99 ${f.started.p99.toFixed(0)} ms, ${cpuTotal(f.cpu).toFixed(2)} CPU-s per 1,000 tasks (machine ${Math.round(100 * (f.cpu?.machineBusy ?? Number.NaN))}% busy)`;
  return {
    name: 'latency-curve',
    rows: [
      {
        measure: `highest offered load with p99 submit → started < ${AIM_MS} ms (of ${options.rates.join(', ')}/s)`,
        taskd: best === undefined ? 'none of them' : `${best.rate} tasks/s`,
        note: `3 nodes, zookeeper log, ${options.seconds} s counted after ${options.warmupSeconds} s each; ${points.map(text).join('; ')}`,
      },
    ],
    raw: { options, points },
  };
}
