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
  // One field per detector, called by name: a loop over an array of six classes would make every
  // call site megamorphic, which costs more than most detectors' work on a step.
  private readonly foldAnomalies: FoldAnomaliesDetector;
  private readonly twoLeaders: TwoLeadersDetector;
  private readonly vipHolders: VipHoldersDetector;
  private readonly restartStorm: RestartStormDetector;
  private readonly stallBeforeLoss: StallBeforeLossDetector;
  private readonly unfinishedTasks: UnfinishedTasksDetector;

  constructor(sink: FindingSink, settings: DetectorSettings) {
    this.foldAnomalies = new FoldAnomaliesDetector(sink, this.evidence);
    this.twoLeaders = new TwoLeadersDetector(sink, settings.overlapToleranceMs);
    this.vipHolders = new VipHoldersDetector(sink, settings.overlapToleranceMs);
    this.restartStorm = new RestartStormDetector(sink, settings);
    this.stallBeforeLoss = new StallBeforeLossDetector(sink, settings.stallWindowMs);
    this.unfinishedTasks = new UnfinishedTasksDetector(sink, this.evidence, settings);
  }

  observe(step: ReplayStep): void {
    this.foldAnomalies.observe(step);
    this.twoLeaders.observe(step);
    this.vipHolders.observe(step);
    this.restartStorm.observe(step);
    this.stallBeforeLoss.observe(step);
    this.unfinishedTasks.observe(step);
    this.evidence.observe(step);
  }

  finish(end: ReplayEnd): void {
    this.foldAnomalies.finish();
    this.twoLeaders.finish(end);
    this.vipHolders.finish(end);
    this.restartStorm.finish(end);
    this.stallBeforeLoss.finish();
    this.unfinishedTasks.finish(end);
  }
}
