/**
 * One pass over the merged inputs: every entry is folded (node or task domain), shown to the
 * detectors, the clock-skew estimate and the --at snapshot, narrated when the timeline shows it,
 * and handed to the renderer, which streams. Memory stays bounded: folds, detector windows, capped
 * findings and skipped records; nothing keeps the events themselves.
 */

import type { JournalItem } from '../infra/journal/read-journal.ts';
import { ClockSkew } from './clock-skew.ts';
import type { DetectorSettings, ReplayEnd } from './detectors/detector.ts';
import { DetectorSet } from './detectors/detector-set.ts';
import { Findings } from './detectors/findings.ts';
import { NodeFolds } from './folds/node-folds.ts';
import type { ReplayStep } from './folds/replay-step.ts';
import { TaskFold } from './folds/task-fold.ts';
import type { ReplayInputs } from './inputs/input-model.ts';
import { Narrator } from './narrate/narrator.ts';
import type { Progress } from './progress.ts';
import type { Renderer } from './render/renderer.ts';
import { PassStats } from './report/pass-stats.ts';
import type { ReportTail, TimelineEntry } from './report/report-schema.ts';
import { buildTail } from './report/report-tail.ts';
import { StateAt } from './state-at.ts';
import type { TimelineFilter } from './timeline-filter.ts';

export interface PassOptions {
  readonly inputs: ReplayInputs;
  readonly settings: DetectorSettings;
  readonly filter: TimelineFilter;
  /** Resolved --at. */
  readonly at?: number;
  /** Most timeline entries to emit. */
  readonly limit?: number;
  /** False: narrate nothing (the timeline is not shown). */
  readonly timeline: boolean;
  readonly renderer: Renderer;
  readonly progress: Progress;
}

export interface PassResult {
  readonly tail: ReportTail;
}

/** Replays everything once and renders it. */
export async function replayPass(options: PassOptions): Promise<PassResult> {
  const { inputs, filter, renderer, progress } = options;
  const nodes = new NodeFolds(inputs.chains);
  const tasks = new TaskFold();
  const findings = new Findings();
  const detectors = new DetectorSet(findings, options.settings);
  const narrator = new Narrator();
  const skew = new ClockSkew();
  const stateAt = options.at === undefined ? undefined : new StateAt(options.at);
  const stats = new PassStats(inputs);
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  // Where batch items come from (ReplayBatch.from): a chain, or past the chains the task log.
  const journals = inputs.chains.length;
  const inputOf = [...inputs.chains.map((chain) => chain.input), inputs.taskLog?.input ?? 0];
  // The first batch is read before anything is written: an input that cannot be opened (a task
  // log out of reach) fails the replay with nothing half printed.
  const batches = inputs.batches();
  try {
    let next = await batches.next();
    await renderer.begin({
      sources: inputs.sources,
      nodes: inputs.chains.flatMap((chain) => (chain.node === undefined ? [] : [chain.node])),
    });
    // Within a batch nothing waits unless the output has to drain: an await per event would cost
    // more than folding it.
    for (; next.done !== true; next = await batches.next()) {
      const { items, from } = next.value;
      for (let i = 0; i < items.length; i++) {
        const item = items[i] as JournalItem;
        const chain = from[i] as number;
        const input = inputOf[chain] ?? 0;
        if (item.kind === 'anomaly') {
          const record = stats.skipped(input, item.anomaly);
          const wait = renderer.skipped(record);
          if (wait !== undefined) await wait;
          continue;
        }
        progress.tick(item.location);
        const step: ReplayStep =
          chain < journals
            ? nodes.apply(chain, item.event, item.location)
            : tasks.apply(item.event, item.location);
        stats.counted(step, input);
        detectors.observe(step);
        skew.observe(step);
        stateAt?.observe(step);
        let entry: TimelineEntry | undefined;
        if (options.timeline) {
          if (filter.accepts(step)) {
            if (stats.timelineEntries < limit) {
              entry = narrator.entry(step);
              stats.timelineEntries += 1;
            } else stats.timelineCapped = true;
          }
          // What the narrator remembers only ever shows in timeline entries.
          narrator.remember(step);
        }
        const wait = renderer.step(step, entry);
        if (wait !== undefined) await wait;
      }
    }
  } finally {
    await batches.return(undefined);
  }
  progress.done();
  const end: ReplayEnd = {
    at: stats.last ?? 0,
    taskLogEnd: inputs.taskLog === undefined ? undefined : tasks.end,
    nodes: nodes.states(),
    tasks: tasks.state,
  };
  detectors.finish(end);
  const tail = buildTail({
    inputs,
    stats,
    findings,
    filter,
    skew,
    nodes: end.nodes,
    stateAt,
    hasTaskLog: inputs.taskLog !== undefined,
  });
  await renderer.end(tail);
  return { tail };
}
