/**
 * What a replay reads, once resolved: journal chains (one per node, from files, folders or
 * bundles), at most one task log, and one merged stream of their items, each tagged with where it
 * came from.
 */
import type { Anomaly, DomainEvent, EventLocation } from '../../domain/event.ts';
import type { NodeConfig } from '../../domain/node/index.ts';
import type { JournalItem } from '../../infra/journal/read-journal.ts';
import type { TaskLogSpec } from '../task-log/task-log-spec.ts';

export type InputKind = 'journal' | 'bundle' | 'task-log';

/** One path or spec given to the replay. */
export interface InputSource {
  readonly kind: InputKind;
  /** The path, or the task-log spec with any password redacted. */
  readonly path: string;
  /** For bundles: the taskd version that wrote it. */
  readonly taskdVersion?: string;
  /** Things worth knowing that are not skipped records (a journal given twice, a bundle note). */
  readonly notes: string[];
}

/** One node's journal: its files, oldest first. */
export interface JournalChain {
  /** Index in `ReplayInputs.sources`. */
  readonly input: number;
  /** From the file names; undefined for a single oddly named file (then its first event says). */
  readonly node: string | undefined;
  readonly files: readonly string[];
  /** How reports name each file: itself, or `<bundle>!/journals/<file>` for a bundle's (its extraction is gone after the replay). */
  readonly displayFiles: readonly string[];
  /** From a bundle's config; the defaults otherwise. */
  readonly config: NodeConfig | undefined;
}

export interface TaskLogInput {
  readonly input: number;
  readonly spec: TaskLogSpec;
  /** How locations name it (the spec, password redacted). */
  readonly source: string;
}

/** An item of the merged stream. */
export type ReplayItem =
  | {
      readonly kind: 'journal-entry';
      readonly chain: number;
      readonly seq: number;
      readonly event: DomainEvent;
      readonly location: EventLocation;
    }
  | {
      readonly kind: 'task-entry';
      readonly event: DomainEvent;
      readonly location: EventLocation;
    }
  | { readonly kind: 'skipped'; readonly input: number; readonly anomaly: Anomaly };

/**
 * A run of merged items as read, not copied into ReplayItems (a million copies cost more than
 * merging): `items[i]` came from `from[i]`, the index of its chain in `chains`, or `chains.length`
 * for the task log.
 */
export interface ReplayBatch {
  readonly items: readonly JournalItem[];
  readonly from: readonly number[];
}

export interface ReplayInputs {
  readonly sources: readonly InputSource[];
  readonly chains: readonly JournalChain[];
  readonly taskLog: TaskLogInput | undefined;
  /** Bytes of every journal file, for progress. */
  readonly journalBytes: number;
  /** A new pass over everything, merged by time (each input keeps its own order). */
  items(): AsyncGenerator<ReplayItem>;
  /** The same pass in batches: what a replay of millions of events reads, waiting once per batch. */
  batches(): AsyncGenerator<ReplayBatch>;
  /** Removes bundle extractions; idempotent. */
  close(): Promise<void>;
}
