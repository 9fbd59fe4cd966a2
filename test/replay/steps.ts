/**
 * Replay steps from hand-built events, without files: each node's events are folded by the real
 * NodeFolds, task events by the real TaskFold, merged by time as the replay merges them (each input
 * in its own order). Locations are fake but unique: `journal-<node>.jsonl:<line>` or `task-log <n>`.
 */
import type { NodeEvent } from '../../src/domain/node/index.ts';
import type { TaskEvent } from '../../src/domain/task/index.ts';
import type { Detector, ReplayEnd } from '../../src/replay/detectors/detector.ts';
import type { Finding } from '../../src/replay/detectors/finding.ts';
import { NodeFolds } from '../../src/replay/folds/node-folds.ts';
import type { ReplayStep } from '../../src/replay/folds/replay-step.ts';
import { TaskFold } from '../../src/replay/folds/task-fold.ts';

interface Pending {
  readonly at: number;
  readonly order: number;
  readonly run: () => ReplayStep;
}

export interface Replayed {
  readonly steps: readonly ReplayStep[];
  readonly end: ReplayEnd;
}

/** Folds and merges `journals` (by node) and `tasks` into steps, and what the end looks like. */
export function replaySteps(
  journals: Readonly<Record<string, readonly NodeEvent[]>>,
  tasks: readonly TaskEvent[] = [],
): Replayed {
  const nodes = Object.keys(journals);
  const folds = new NodeFolds(
    nodes.map((node) => ({ input: 0, node, files: [], displayFiles: [], config: undefined })),
  );
  const taskFold = new TaskFold();
  const queues: Pending[][] = nodes.map((node, chain) =>
    (journals[node] ?? []).map((event, i) => ({
      at: event.meta.at,
      order: chain,
      run: () => folds.apply(chain, event, { source: `journal-${node}.jsonl`, line: i + 1, offset: i * 100 }),
    })),
  );
  queues.push(
    tasks.map((event, i) => ({
      at: event.meta.at,
      order: nodes.length,
      run: () => taskFold.apply(event, { source: 'tasks.log', stream: 'dispatch', position: i + 1 }),
    })),
  );
  const steps: ReplayStep[] = [];
  for (;;) {
    let best: Pending[] | undefined;
    for (const queue of queues) {
      const head = queue[0];
      if (head !== undefined && (best?.[0] === undefined || head.at < (best[0] as Pending).at)) best = queue;
    }
    if (best === undefined) break;
    steps.push((best.shift() as Pending).run());
  }
  const last = steps.reduce((max, step) => Math.max(max, step.at), 0);
  return {
    steps,
    end: {
      at: last,
      taskLogEnd: tasks.length === 0 ? undefined : taskFold.end,
      nodes: folds.states(),
      tasks: taskFold.state,
    },
  };
}

/** What `detector` reports over `replayed` (observe every step, then finish). */
export function detect(
  make: (sink: { report(finding: Finding): void }) => Detector,
  replayed: Replayed,
): Finding[] {
  const found: Finding[] = [];
  const detector = make({ report: (finding) => found.push(finding) });
  for (const step of replayed.steps) detector.observe(step);
  detector.finish(replayed.end);
  return found;
}
