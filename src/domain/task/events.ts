/**
 * Every event of the task log, in one place. Past tense; each is a `DomainEvent` at version 1.
 *
 * Streams (DESIGN.md §2): `submissions` (any node), `dispatch` (the leader alone, every event carries
 * the leader's `epoch` so that a deposed leader's late writes can be fenced), `runner-<node>` (reports
 * of one runner, each naming the assignment it reports on).
 */
import type { DomainEvent, EventLocation, EventMeta } from '../event.ts';

export const TASK_EVENT_VERSION = 1;

/** Any value that survives JSON.stringify/parse unchanged. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** Exponential backoff between attempts: initialMs, then × multiplier each attempt, capped at maxMs. */
export interface BackoffPolicy {
  readonly initialMs: number;
  readonly multiplier: number;
  readonly maxMs: number;
}

/** What a handler threw, as a runner reports it. */
export interface TaskError {
  readonly message: string;
  readonly code?: string;
}

// ── submissions ──────────────────────────────────────────────────────────────────────────────

export interface TaskSubmittedData {
  readonly taskId: string;
  readonly type: string;
  readonly payload: JsonValue;
  readonly idempotencyKey?: string;
  readonly maxAttempts: number;
  readonly backoff: BackoffPolicy;
  /** Per attempt, counted from its assignment. */
  readonly timeoutMs?: number;
  /** How long a finished task stays queryable; the dispatcher's default when absent. */
  readonly retentionMs?: number;
}

export interface TaskCancelRequestedData {
  readonly taskId: string;
  readonly reason?: string;
}

// ── dispatch (leader only) ───────────────────────────────────────────────────────────────────

export interface EpochStartedData {
  readonly epoch: number;
  readonly leader: string;
  readonly incarnation: number;
}

/** Fields every dispatcher decision about one task carries. */
export interface DispatchRef {
  readonly taskId: string;
  readonly attempt: number;
  /** The epoch of the leader that decided it. */
  readonly epoch: number;
}

export interface TaskAssignedData extends DispatchRef {
  readonly node: string;
  readonly incarnation: number;
  /** When this attempt times out (ms since epoch), if the task has a timeout. */
  readonly deadline?: number;
}

export interface TaskInterruptedData extends DispatchRef {
  readonly reason: string;
}

/** `attempt` is the NEW attempt number. */
export interface TaskRequeuedData extends DispatchRef {
  readonly notBefore: number;
}

export type TaskTimedOutData = DispatchRef;

export interface TaskCancelledData extends DispatchRef {
  readonly reason?: string;
}

/** The last attempt ended without a result and no attempt is left: the task failed for good. */
export interface TaskAttemptsExhaustedData extends DispatchRef {
  readonly reason: string;
}

export interface TaskRetiredData {
  readonly taskId: string;
  readonly epoch: number;
}

// ── runner-<node> ────────────────────────────────────────────────────────────────────────────

/** The assignment a runner reports on: a report that does not name the current one is a zombie write. */
export interface RunnerRef {
  readonly taskId: string;
  readonly attempt: number;
  readonly epoch: number;
  readonly node: string;
  readonly incarnation: number;
}

export type TaskStartedData = RunnerRef;

export interface TaskProgressedData extends RunnerRef {
  /** Fraction done, 0..1. */
  readonly progress: number;
  readonly message?: string;
}

export interface TaskSucceededData extends RunnerRef {
  readonly result?: JsonValue;
}

export interface TaskFailedData extends RunnerRef {
  readonly error: TaskError;
  readonly retryable: boolean;
}

// ── the union ────────────────────────────────────────────────────────────────────────────────

/** A task event; `location` is attached by the parser so that anomalies can say where they come from. */
type TaskEventOf<T extends string, D> = DomainEvent<T, D> & { readonly location?: EventLocation };

export type TaskSubmitted = TaskEventOf<'TaskSubmitted', TaskSubmittedData>;
export type TaskCancelRequested = TaskEventOf<'TaskCancelRequested', TaskCancelRequestedData>;
export type EpochStarted = TaskEventOf<'EpochStarted', EpochStartedData>;
export type TaskAssigned = TaskEventOf<'TaskAssigned', TaskAssignedData>;
export type TaskInterrupted = TaskEventOf<'TaskInterrupted', TaskInterruptedData>;
export type TaskRequeued = TaskEventOf<'TaskRequeued', TaskRequeuedData>;
export type TaskTimedOut = TaskEventOf<'TaskTimedOut', TaskTimedOutData>;
export type TaskCancelled = TaskEventOf<'TaskCancelled', TaskCancelledData>;
export type TaskAttemptsExhausted = TaskEventOf<'TaskAttemptsExhausted', TaskAttemptsExhaustedData>;
export type TaskRetired = TaskEventOf<'TaskRetired', TaskRetiredData>;
export type TaskStarted = TaskEventOf<'TaskStarted', TaskStartedData>;
export type TaskProgressed = TaskEventOf<'TaskProgressed', TaskProgressedData>;
export type TaskSucceeded = TaskEventOf<'TaskSucceeded', TaskSucceededData>;
export type TaskFailed = TaskEventOf<'TaskFailed', TaskFailedData>;

export type SubmissionEvent = TaskSubmitted | TaskCancelRequested;
export type DispatchEvent =
  | EpochStarted
  | TaskAssigned
  | TaskInterrupted
  | TaskRequeued
  | TaskTimedOut
  | TaskCancelled
  | TaskAttemptsExhausted
  | TaskRetired;
export type RunnerEvent = TaskStarted | TaskProgressed | TaskSucceeded | TaskFailed;
export type TaskEvent = SubmissionEvent | DispatchEvent | RunnerEvent;
export type TaskEventType = TaskEvent['type'];

/** Which stream each event type belongs to. */
export const TaskEventStreams = {
  TaskSubmitted: 'submissions',
  TaskCancelRequested: 'submissions',
  EpochStarted: 'dispatch',
  TaskAssigned: 'dispatch',
  TaskInterrupted: 'dispatch',
  TaskRequeued: 'dispatch',
  TaskTimedOut: 'dispatch',
  TaskCancelled: 'dispatch',
  TaskAttemptsExhausted: 'dispatch',
  TaskRetired: 'dispatch',
  TaskStarted: 'runner',
  TaskProgressed: 'runner',
  TaskSucceeded: 'runner',
  TaskFailed: 'runner',
} as const satisfies Record<TaskEventType, 'submissions' | 'dispatch' | 'runner'>;

/**
 * The one stream every node appended its submissions to, in logs written before submissions-<node>
 * (still read and folded like any other stream: the fold goes by the log's global order alone).
 */
export const SUBMISSIONS_STREAM = 'submissions';
export const DISPATCH_STREAM = 'dispatch';

/**
 * The stream of the submissions and cancel requests one node accepts. One per node, not one shared:
 * three nodes appending to one stream raced for its head (a lost race costs a re-read and a resend),
 * which put a lost race or two into most submissions' latency at a few hundred submissions a second.
 */
export function submissionsStream(node: string): string {
  return `${SUBMISSIONS_STREAM}-${node}`;
}

/** The stream of one node's runner reports. */
export function runnerStream(node: string): string {
  return `runner-${node}`;
}

/** The stream an event is appended to. */
export function streamOf(event: TaskEvent): string {
  const kind = TaskEventStreams[event.type];
  if (kind === 'runner') return runnerStream(event.meta.node);
  return kind === 'submissions' ? submissionsStream(event.meta.node) : kind;
}

/** Builds an event of the current version. */
export function taskEvent<E extends TaskEvent>(type: E['type'], data: E['data'], meta: EventMeta): E {
  return { type, version: TASK_EVENT_VERSION, data, meta } as E;
}
