/**
 * Latency on the loopback, stepped up: the ensemble and three taskd processes inside one network
 * namespace made for the run (never the host's loopback), a few tasks, and each step holding more
 * delay for a while before the cluster settles again. Every step is judged by the chaos oracle (no
 * two leaders beyond the suspicion window, every task ends once, teardowns once and in order…); the
 * table of where leadership starts to flap is printed, never asserted: timing is measured, not tested.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { killUnstopped } from './chaos-cluster.ts';
import { SESSION_TIMEOUT_MS, SUSPICION_WINDOW_MS } from './chaos-settings.ts';
import { closeOpenStages } from './chaos-stage.ts';
import type { FaultRecord } from './fault-kinds.ts';
import { runScenario } from './run-scenario.ts';
import { describeSchedule, type Schedule } from './schedule.ts';

// A scenario that timed out leaves its nodes running and its stage open: neither may outlive it.
afterEach(async () => {
  killUnstopped();
  await closeOpenStages();
});

/** One-way delays, each held for three session timeouts. */
const DELAYS_MS = [0, 50, 100, 200, 400, 800];
const HOLD_MS = 3 * SESSION_TIMEOUT_MS;

const schedule: Schedule = {
  seed: undefined,
  steps: DELAYS_MS.map((delayMs) => ({
    gapMs: 300,
    faults: [{ kind: 'loopback-latency', delayMs, durationMs: HOLD_MS }],
  })),
};

describe('taskd with latency added to the loopback it shares with ZooKeeper', () => {
  it('keeps every invariant at every step while the delay grows', { timeout: 270_000 }, async () => {
    const lines = ['latency sweep (seed 707)', ...describeSchedule(schedule)];
    const result = await runScenario({
      schedule,
      seed: 707,
      tasks: 16,
      spreadMs: DELAYS_MS.length * (HOLD_MS + 2_000),
      budgetMs: 240_000,
      say: (line) => lines.push(`  | ${line}`),
    });
    lines.push(...flapTable(result.records), ...result.verdict.lines());
    lines.push(
      `  ${Math.round(result.durationMs / 1000)} s${result.verdict.passed ? '' : `, kept ${result.root}`}`,
    );
    console.log(lines.join('\n'));
    expect(result.verdict.violations).toEqual([]);
    expect(result.records.map((r) => r.measurements !== undefined)).toEqual(DELAYS_MS.map(() => true));
  });
});

/** Where leadership starts to flap: one row per step. */
function flapTable(records: readonly FaultRecord[]): string[] {
  const head = `session timeout ${SESSION_TIMEOUT_MS} ms requested, suspicion after ${SUSPICION_WINDOW_MS} ms; each delay held ${HOLD_MS} ms, counted until the cluster settled`;
  const columns = ['delay ms', 'negotiated ms', 'leader changes', 'suspended', 'lost', 'succeeded'];
  const rows = records.map((record) => {
    const m = record.measurements ?? {};
    const delay = record.fault.kind === 'loopback-latency' ? record.fault.delayMs : '?';
    return [delay, m.negotiatedTimeoutMs, m.leadershipChanges, m.suspended, m.lost, m.succeeded]
      .map((cell) => String(cell ?? '-').padStart(14))
      .join(' ');
  });
  const by = records.find((r) => r.measurements?.by !== undefined)?.measurements?.by;
  return [
    head,
    `${by ?? 'latency added by an unknown means'}`,
    columns.map((c) => c.padStart(14)).join(' '),
    ...rows,
  ];
}
