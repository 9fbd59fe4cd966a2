/**
 * What every output format implements. The replay pass calls `begin`, then `step` for every event
 * (with its timeline entry when the filters and the limit let it through) and `skipped` for every
 * record it could not read, then `end` with everything known at the end. A returned promise means
 * "wait before the next call" (the output is draining).
 */
import type { ReplayStep } from '../folds/replay-step.ts';
import type { InputSource } from '../inputs/input-model.ts';
import type { ReportTail, SkippedRecord, TimelineEntry } from '../report/report-schema.ts';

export interface ReplayHeader {
  readonly sources: readonly InputSource[];
  /** Nodes known from journal file names (others appear as their journals are read). */
  readonly nodes: readonly string[];
}

export interface Renderer {
  begin(header: ReplayHeader): Promise<void> | undefined;
  step(step: ReplayStep, entry: TimelineEntry | undefined): Promise<void> | undefined;
  skipped(record: SkippedRecord): Promise<void> | undefined;
  end(tail: ReportTail): Promise<void>;
}
