/**
 * The task-log fold on its own: every event of a realistic log (see support/task-log.ts) parsed and
 * folded as the task view does it (parseTaskEvent, then evolve), with the indexes built from the
 * start as on a live node (its runner reads them). CPU time, not wall time, is the figure: the
 * machine may be shared. Each repeat folds the whole log from the initial state; medians are printed,
 * with the final state's hash, so that two builds can be checked to fold the same state.
 *
 *   npx tsx bench/task-fold.ts [--tasks 50000] [--repeat 5] [--lazy-indexes]
 */
import {
  evolve,
  initialState,
  parseTaskEvent,
  recordAnomaly,
  type TasksState,
} from '../src/domain/task/index.ts';
import type { LoggedEvent } from '../src/infra/log/port.ts';
import { stateHash } from '../src/infra/state-hash.ts';
import { taskLog } from './support/task-log.ts';

const argument = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : Number(process.argv[at + 1] ?? fallback);
};
const tasks = argument('--tasks', 50_000);
const repeat = argument('--repeat', 5);
const lazyIndexes = process.argv.includes('--lazy-indexes');

interface Fold {
  readonly state: TasksState;
  readonly cpuMs: number;
  readonly wallMs: number;
}

function fold(log: readonly LoggedEvent[]): Fold {
  let state = initialState();
  // A live node's runner reads the indexes at once: from then on every event keeps them up to date.
  if (!lazyIndexes) void state.indexes.counts;
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (const logged of log) {
    const location = { stream: logged.stream, revision: logged.revision, position: logged.position };
    const parsed = parseTaskEvent(logged, location);
    state = parsed.ok ? evolve(state, parsed.event) : recordAnomaly(state, parsed.anomaly);
  }
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { state, cpuMs: (used.user + used.system) / 1000, wallMs };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

const built = performance.now();
const log = taskLog(tasks);
console.log(`${log.length} events of ${tasks} tasks, built in ${Math.round(performance.now() - built)} ms`);

const folds: Fold[] = [];
for (let r = 0; r < repeat; r++) {
  const one = fold(log);
  folds.push(one);
  const perSecond = Math.round((log.length / one.cpuMs) * 1000);
  console.log(
    `  fold ${r + 1}: CPU ${one.cpuMs.toFixed(0)} ms, wall ${one.wallMs.toFixed(0)} ms, ${perSecond} events/CPU s`,
  );
}
const cpuMs = median(folds.map((f) => f.cpuMs));
const wallMs = median(folds.map((f) => f.wallMs));
const last = folds[folds.length - 1]?.state ?? initialState();
console.log(
  `median: ${Math.round((log.length / cpuMs) * 1000)} events/s (CPU), CPU ${cpuMs.toFixed(0)} ms ` +
    `(${((cpuMs / log.length) * 100_000).toFixed(0)} ms per 100k events), wall ${wallMs.toFixed(0)} ms`,
);
console.log(`state: ${last.tasks.size} tasks, ${last.anomalyCount} anomalies, hash ${stateHash(last)}`);
