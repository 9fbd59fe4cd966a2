/**
 * The JSON document `taskd replay --format json` prints, version 1. Stable: a field is only ever
 * added; renaming or removing one bumps `version`. Key order in the document carries no meaning
 * (the timeline is written first so that it can stream).
 *
 * {
 *   "version": 1,
 *   "timeline": [TimelineEntry…],        events that pass the filters, in time order (see summary.timeline*)
 *   "inputs": [InputReport…],           every path or spec read, with what was skipped and where
 *   "nodes": [NodeReport…],             one per journal
 *   "skew": SkewReport,                 clock offsets estimated from shared ZooKeeper changes
 *   "anomalies": [AnomalyReport…],      by time; at most summary.anomaliesShown of summary.anomalies
 *   "summary": SummaryReport,
 *   "state": StateReport                only with --at
 * }
 *
 * Times are ms since the epoch (`at`) with an ISO 8601 UTC copy (`time`). Locations name a journal
 * file with its 1-based `line` and byte `offset`, or a task-log `stream`, `revision` and `position`.
 */
import type { EventLocation } from '../../domain/event.ts';
import type { ClusterStatus } from '../../domain/node/index.ts';
import type { TaskCounts, TaskStatus } from '../../domain/task/index.ts';
import type { FindingSource, Severity } from '../detectors/finding.ts';
import type { InputKind } from '../inputs/input-model.ts';
import type { EventCategory } from '../narrate/event-categories.ts';

export const REPORT_VERSION = 1;

export interface TimelineEntry {
  readonly at: number;
  readonly time: string;
  /** The journal's node, or the node that wrote a task-log event. */
  readonly node: string;
  readonly source: 'journal' | 'task-log';
  readonly type: string;
  readonly category: EventCategory;
  /** The event in plain words. */
  readonly text: string;
  readonly incarnation: number;
  readonly epoch?: number;
  readonly taskId?: string;
  /** Kinds of what the fold refused at this event (empty when it applied cleanly). */
  readonly anomalies: readonly string[];
  readonly location: EventLocation;
  readonly data: unknown;
}

export interface SkippedRecord {
  readonly kind: string;
  readonly message: string;
  readonly eventType?: string;
  readonly location?: EventLocation;
}

export interface InputReport {
  readonly kind: InputKind;
  readonly path: string;
  readonly taskdVersion?: string;
  readonly nodes: readonly string[];
  readonly events: number;
  /** The first MAX_SKIPPED_KEPT records skipped; `skippedCount` counts them all. */
  readonly skipped: readonly SkippedRecord[];
  readonly skippedCount: number;
  readonly notes: readonly string[];
}

export interface NodeReport {
  readonly node: string;
  /** 'bundle' when a bundle's config was folded from, 'default' otherwise. */
  readonly config: 'bundle' | 'default';
  readonly events: number;
  readonly first: number | null;
  readonly last: number | null;
  readonly status: ClusterStatus;
  readonly foldAnomalies: number;
}

export interface SkewReport {
  readonly method: string;
  readonly observations: number;
  readonly maxSpreadMs: number | null;
  readonly medianSpreadMs: number | null;
  readonly nodes: readonly {
    readonly node: string;
    readonly offsetMs: number | null;
    readonly samples: number;
  }[];
}

export interface EvidenceReport {
  readonly node: string;
  readonly type: string;
  readonly at: number;
  readonly time: string;
  readonly location: EventLocation;
  readonly note?: string;
}

export interface AnomalyReport {
  readonly kind: string;
  readonly severity: Severity;
  readonly source: FindingSource;
  readonly at: number;
  readonly time: string;
  readonly until?: number;
  readonly nodes: readonly string[];
  readonly taskId?: string;
  readonly message: string;
  readonly evidence: readonly EvidenceReport[];
}

export interface SummaryReport {
  readonly events: number;
  readonly journalEvents: number;
  readonly taskEvents: number;
  readonly first: number | null;
  readonly last: number | null;
  readonly timelineEntries: number;
  /** True when --limit cut the timeline. */
  readonly timelineCapped: boolean;
  /** Every anomaly found; with --node/--task/--since/--until/--kind, those the filters keep. */
  readonly anomalies: number;
  /** How many are listed in `anomalies[]` (the first 1000 found are kept). */
  readonly anomaliesShown: number;
  readonly anomaliesByKind: Readonly<Record<string, number>>;
  readonly skipped: number;
}

export interface TaskStateReport {
  readonly taskId: string;
  readonly type: string;
  readonly status: TaskStatus;
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly submittedAt: number;
  /** Where the latest attempt was assigned, if it ever was. */
  readonly node?: string;
  readonly incarnation?: number;
  readonly epoch?: number;
}

export interface StateReport {
  readonly at: number;
  readonly time: string;
  readonly cluster: {
    /** Every node that led at that moment by its own journal (more than one is an anomaly). */
    readonly leaders: readonly { readonly node: string; readonly epoch: number }[];
    readonly vipHolders: readonly string[];
    /** The members as the leader saw them (or, without a leader, every node's view merged). */
    readonly members: readonly string[];
    /** The task log's latest EpochStarted, when a task log was read. */
    readonly taskLog: { readonly epoch: number; readonly leader: string | null } | null;
  };
  readonly nodes: readonly ClusterStatus[];
  readonly tasks: readonly TaskStateReport[];
  readonly tasksTotal: number;
  readonly taskCounts: TaskCounts | null;
}

export interface ReplayReport {
  readonly version: typeof REPORT_VERSION;
  readonly timeline: readonly TimelineEntry[];
  readonly inputs: readonly InputReport[];
  readonly nodes: readonly NodeReport[];
  readonly skew: SkewReport;
  readonly anomalies: readonly AnomalyReport[];
  readonly summary: SummaryReport;
  readonly state?: StateReport;
}

/** Everything but the timeline: what is known once the inputs end. */
export type ReportTail = Omit<ReplayReport, 'version' | 'timeline'>;
