/**
 * The fixed chaos set: real ZooKeeper servers, real taskd processes, real signals; each scenario is
 * judged by the chaos oracle (the task log, `taskd replay --format json`, the journals, the exits).
 * `npm run chaos` runs random schedules for longer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { useZooKeeper } from '../support/zookeeper.ts';
import { killUnstopped } from './chaos-cluster.ts';
import { closeOpenStages } from './chaos-stage.ts';
import { FIXED_SCENARIOS } from './fixed-schedules.ts';
import { runScenario } from './run-scenario.ts';
import { describeSchedule } from './schedule.ts';

const zookeeper = useZooKeeper({ servers: 3 });
// A scenario that timed out leaves its nodes running and its stage open: neither may outlive it.
afterEach(async () => {
  killUnstopped();
  await closeOpenStages();
});

describe('taskd under a fixed set of faults', () => {
  for (const scenario of FIXED_SCENARIOS) {
    it(`keeps every invariant: ${scenario.name}`, { timeout: scenario.budgetMs + 30_000 }, async () => {
      const lines = [
        `chaos scenario (seed ${scenario.seed}): ${scenario.name}`,
        ...describeSchedule(scenario.schedule),
      ];
      const result = await runScenario({
        zookeeper: zookeeper(),
        schedule: scenario.schedule,
        seed: scenario.seed,
        budgetMs: scenario.budgetMs,
        tasks: scenario.tasks,
        spreadMs: scenario.spreadMs,
        say: (line) => lines.push(`  | ${line}`),
      });
      lines.push(
        ...result.verdict.lines(),
        `  ${Math.round(result.durationMs / 1000)} s${result.verdict.passed ? '' : `, kept ${result.root}`}`,
      );
      console.log(lines.join('\n'));
      expect(result.verdict.violations).toEqual([]);
    });
  }
});
