/**
 * A detector looks at every replayed step in time order, keeps bounded state, and reports findings
 * as soon as it can prove them (some only at the end of the inputs).
 */
import type { NodeState } from '../../domain/node/index.ts';
import type { TasksState } from '../../domain/task/index.ts';
import type { ReplayStep } from '../folds/replay-step.ts';

/** Thresholds of the detectors; every one can be set on the command line. */
export interface DetectorSettings {
  /** Two leaders (or two VIP holders) for less than this is clock skew or a handover, not an anomaly. */
  readonly overlapToleranceMs: number;
  /** A restart storm: at least `stormCount` restarts within `stormWindowMs`. */
  readonly stormCount: number;
  readonly stormWindowMs: number;
  /** A session loss at most this long after an event-loop stall is reported with the stall. */
  readonly stallWindowMs: number;
  /** A task on a gone node is stranded once the node has been gone this long at the end. */
  readonly strandedGraceMs: number;
  /** An unfinished task is lost once it was submitted at least this long before the end of the log. */
  readonly lostGraceMs: number;
}

export const DEFAULT_DETECTOR_SETTINGS: DetectorSettings = {
  overlapToleranceMs: 1_000,
  stormCount: 3,
  stormWindowMs: 60_000,
  stallWindowMs: 10_000,
  strandedGraceMs: 30_000,
  lostGraceMs: 60_000,
};

/** What is known once every input has been read. */
export interface ReplayEnd {
  /** Time of the last event of any input. */
  readonly at: number;
  /** Time of the last task-log event; undefined without a task log. */
  readonly taskLogEnd: number | undefined;
  readonly nodes: ReadonlyMap<string, NodeState>;
  readonly tasks: TasksState;
}

export interface Detector {
  observe(step: ReplayStep): void;
  finish(end: ReplayEnd): void;
}
