/**
 * Counts a replay pass keeps for its report: events per input and per node, first and last times,
 * timeline entries, and the records skipped per input (the first MAX_SKIPPED_KEPT kept whole).
 */
import type { Anomaly } from '../../domain/event.ts';
import type { ReplayStep } from '../folds/replay-step.ts';
import type { ReplayInputs } from '../inputs/input-model.ts';
import type { SkippedRecord } from './report-schema.ts';

export const MAX_SKIPPED_KEPT = 100;

export interface InputStats {
  events: number;
  skippedCount: number;
  readonly skipped: SkippedRecord[];
  readonly nodes: Set<string>;
}

export interface NodeStats {
  events: number;
  first: number;
  last: number;
}

export class PassStats {
  readonly perInput: InputStats[];
  readonly perNode = new Map<string, NodeStats>();
  journalEvents = 0;
  taskEvents = 0;
  first: number | undefined;
  last: number | undefined;
  timelineEntries = 0;
  timelineCapped = false;

  constructor(inputs: ReplayInputs) {
    this.perInput = inputs.sources.map(() => ({ events: 0, skippedCount: 0, skipped: [], nodes: new Set() }));
  }

  /** Counts a skipped record and returns it as the report shows it. */
  skipped(input: number, anomaly: Anomaly): SkippedRecord {
    const record: SkippedRecord = {
      kind: anomaly.kind,
      message: anomaly.message,
      ...(anomaly.eventType === undefined ? {} : { eventType: anomaly.eventType }),
      ...(anomaly.location === undefined ? {} : { location: anomaly.location }),
    };
    const stats = this.perInput[input];
    if (stats !== undefined) {
      stats.skippedCount += 1;
      if (stats.skipped.length < MAX_SKIPPED_KEPT) stats.skipped.push(record);
    }
    return record;
  }

  /** Counts one replayed event of `input`. */
  counted(step: ReplayStep, input: number): void {
    if (step.kind === 'node') {
      this.journalEvents += 1;
      const node = this.perNode.get(step.node);
      if (node === undefined) this.perNode.set(step.node, { events: 1, first: step.at, last: step.at });
      else {
        node.events += 1;
        node.first = Math.min(node.first, step.at);
        node.last = Math.max(node.last, step.at);
      }
    } else this.taskEvents += 1;
    const stats = this.perInput[input];
    if (stats !== undefined) {
      stats.events += 1;
      stats.nodes.add(step.node);
    }
    this.first = Math.min(this.first ?? step.at, step.at);
    this.last = Math.max(this.last ?? step.at, step.at);
  }

  get skippedTotal(): number {
    return this.perInput.reduce((sum, stats) => sum + stats.skippedCount, 0);
  }
}
