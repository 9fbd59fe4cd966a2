/**
 * `npm run chaos -- --seed N --minutes M`: random fault schedules, one after another, each a
 * function of its own seed (N, N+1, …), until M minutes are spent (at least one runs). Each schedule
 * and its verdict are printed; `--seed S --minutes 0` replays the schedule printed with seed S.
 * Exit code 1 when any verdict failed. Folders of failed runs are kept (and printed).
 */
import { parseArgs } from 'node:util';
import { startZooKeeper } from '../../src/infra/zookeeper-server/index.ts';
import { killUnstopped } from './chaos-cluster.ts';
import { closeOpenStages } from './chaos-stage.ts';
import { runScenario } from './run-scenario.ts';
import { describeSchedule, randomSchedule } from './schedule.ts';
import { seededRandom } from './seeded-random.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    minutes: { type: 'string', default: '5' },
    steps: { type: 'string' },
    tasks: { type: 'string', default: '30' },
    keep: { type: 'boolean', default: false },
  },
});

const firstSeed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const minutes = Number(values.minutes);
if (!Number.isInteger(firstSeed) || !Number.isFinite(minutes) || minutes < 0) {
  process.stderr.write('usage: npm run chaos -- [--seed N] [--minutes M] [--steps K] [--tasks T] [--keep]\n');
  process.exit(2);
}
const deadline = Date.now() + minutes * 60_000;
const log = (line: string) => process.stdout.write(`${line}\n`);

log(`chaos: first seed ${firstSeed}, ${minutes} minutes`);
const zookeeper = await startZooKeeper({ servers: 3 });
process.once('SIGINT', () => {
  killUnstopped();
  void closeOpenStages()
    .then(() => zookeeper.destroy())
    .finally(() => process.exit(130));
});
const failed: number[] = [];
let ran = 0;
try {
  for (let seed = firstSeed; ran === 0 || Date.now() < deadline; seed++) {
    const random = seededRandom(seed);
    const steps = values.steps === undefined ? random.int(3, 6) : Number(values.steps);
    const schedule = randomSchedule(random.fork('schedule'), steps);
    log(`\n=== schedule seed=${seed} (${steps} steps)`);
    for (const line of describeSchedule(schedule)) log(line);
    const result = await runScenario({
      zookeeper,
      schedule,
      seed,
      tasks: Number(values.tasks),
      spreadMs: steps * 2_500,
      budgetMs: 60_000 + steps * 25_000,
      keep: values.keep,
      say: (line) => log(`  | ${line}`),
    }).catch((error: unknown) => {
      // A stage or a cluster that cannot start is this seed's finding, not the end of the run.
      log(`--- seed=${seed}: FAIL: ${error instanceof Error ? error.message : String(error)}`);
      killUnstopped();
      return undefined;
    });
    ran += 1;
    if (result === undefined) {
      failed.push(seed);
      continue;
    }
    log(`--- seed=${seed}: ${result.verdict.lines().join('\n')}`);
    log(
      `    ${Math.round(result.durationMs / 1000)} s${result.verdict.passed && !values.keep ? '' : `; folder ${result.root}`}`,
    );
    if (!result.verdict.passed) failed.push(seed);
  }
} finally {
  await zookeeper.destroy();
}
log(
  `\nchaos: ${ran} schedules, ${failed.length} failed${failed.length ? ` (seeds ${failed.join(', ')})` : ''}`,
);
process.exit(failed.length === 0 ? 0 : 1);
