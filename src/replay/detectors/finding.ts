/**
 * What replay reports as an anomaly: a kind, plain words, and the events that prove it, each with
 * where it sits (file and line, or stream and revision) so a reader can open the journal there.
 */
import type { EventLocation } from '../../domain/event.ts';
import type { ReplayStep } from '../folds/replay-step.ts';

export type Severity = 'error' | 'warning';

/** Who found it: the node fold, the task fold (the domain's own anomalies), or a replay detector. */
export type FindingSource = 'node-fold' | 'task-fold' | 'replay';

export interface Evidence {
  readonly node: string;
  readonly type: string;
  readonly at: number;
  readonly location: EventLocation;
  /** What this event shows, when it is not obvious from its type. */
  readonly note?: string;
}

export interface Finding {
  readonly kind: string;
  readonly severity: Severity;
  readonly source: FindingSource;
  readonly at: number;
  /** End of the interval, for findings that last (two leaders, a storm). */
  readonly until?: number;
  readonly nodes: readonly string[];
  readonly taskId?: string;
  readonly message: string;
  readonly evidence: readonly Evidence[];
}

export interface FindingSink {
  report(finding: Finding): void;
}

/** Evidence pointing at the event of `step`. */
export function evidenceOf(step: ReplayStep, note?: string): Evidence {
  const { node, at, location } = step;
  const { type } = step.event;
  // No spread of an empty object: detectors make evidence on many steps.
  return note === undefined ? { node, type, at, location } : { node, type, at, location, note };
}

/** At most `max` pieces of evidence: the first ones, and the last one when it was cut. */
export function capEvidence(evidence: readonly Evidence[], max: number): Evidence[] {
  if (evidence.length <= max) return [...evidence];
  return [...evidence.slice(0, max - 1), evidence.at(-1) as Evidence];
}
