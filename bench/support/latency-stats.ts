/** Percentiles of latencies, nearest-rank (the same rule as the append benchmark's). */
import { percentile } from '../append-loop.ts';

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** p50 / p99 / max of `values` (ms). */
export function summarize(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? 0,
  };
}

/** "p50 3.1 / p99 12 / max 40 ms" */
export function formatSummary(s: LatencySummary): string {
  const f = (n: number) => (n < 10 ? n.toFixed(1) : String(Math.round(n)));
  return `p50 ${f(s.p50)} / p99 ${f(s.p99)} / max ${f(s.max)} ms`;
}

/** Calls `send(i)` `rate` times a second for `seconds`, open loop; resolves when all sends settled. */
export async function paced(
  rate: number,
  seconds: number,
  send: (i: number) => Promise<unknown>,
): Promise<{ sent: number; elapsedMs: number }> {
  const total = Math.round(rate * seconds);
  const inFlight: Promise<unknown>[] = [];
  const t0 = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
    while (sent < due) {
      const p = send(sent);
      p.catch(() => undefined);
      inFlight.push(p);
      sent += 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const elapsedMs = performance.now() - t0;
  await Promise.allSettled(inFlight);
  return { sent, elapsedMs };
}
