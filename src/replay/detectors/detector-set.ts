/**
 * Every detector of a replay, fed in one order: each detector, then the task-evidence index they
 * read (so a step is judged against what was known before it).
 */
import type { ReplayStep } from '../folds/replay-step.ts';
import type { Detector, DetectorSettings, ReplayEnd } from './detector.ts';
import type { FindingSink } from './finding.ts';
import { FoldAnomaliesDetector } from './fold-anomalies.ts';
import { RestartStormDetector } from './restart-storm.ts';
import { StallBeforeLossDetector } from './stall-before-loss.ts';
import { TaskEvidence } from './task-evidence.ts';
import { TwoLeadersDetector } from './two-leaders.ts';
import { UnfinishedTasksDetector } from './unfinished-tasks.ts';
import { VipHoldersDetector } from './vip-holders.ts';

export class DetectorSet implements Detector {
  private readonly evidence = new TaskEvidence();
  private readonly detectors: readonly Detector[];

  constructor(sink: FindingSink, settings: DetectorSettings) {
    this.detectors = [
      new FoldAnomaliesDetector(sink, this.evidence),
      new TwoLeadersDetector(sink, settings.overlapToleranceMs),
      new VipHoldersDetector(sink, settings.overlapToleranceMs),
      new RestartStormDetector(sink, settings),
      new StallBeforeLossDetector(sink, settings.stallWindowMs),
      new UnfinishedTasksDetector(sink, this.evidence, settings),
    ];
  }

  observe(step: ReplayStep): void {
    for (const detector of this.detectors) detector.observe(step);
    this.evidence.observe(step);
  }

  finish(end: ReplayEnd): void {
    for (const detector of this.detectors) detector.finish(end);
  }
}
