/**
 * What a node offers its HTTP API (and so taskctl): submissions and cancellations (task-log appends),
 * reads from this node's own fold, the cluster as this node sees it, and drain requests. The daemon
 * implements it; API unit tests use an in-memory fake behind the same interface.
 */
import type { FieldError } from '../domain/task/field-errors.ts';
import type { Task, TaskCounts, TaskStatus } from '../domain/task/index.ts';

export interface TaskListQuery {
  readonly state?: TaskStatus;
  readonly node?: string;
  readonly limit?: number;
}

export interface SubmitOutcome {
  readonly task: Task;
  /** False when an idempotency key mapped the request to an earlier task. */
  readonly created: boolean;
}

export type CancelOutcome =
  | { readonly kind: 'requested'; readonly task: Task }
  | { readonly kind: 'unknown-task' }
  | { readonly kind: 'already-finished'; readonly task: Task };

export interface MemberStatus {
  readonly node: string;
  readonly address: string;
  readonly incarnation: number;
  readonly health: string;
  readonly draining: boolean;
  readonly capacity: number;
  /** Assignments the node queues beyond its capacity. */
  readonly prefetch: number;
  /** Tasks assigned to or running on the node, by this node's fold of the task log. */
  readonly running: number;
}

export interface ClusterView {
  readonly node: string;
  readonly leader: string | null;
  readonly epoch: number | null;
  readonly vipHolder: string | null;
  readonly degraded: readonly string[];
  readonly session: string;
  readonly members: readonly MemberStatus[];
  readonly tasks: TaskCounts;
}

/** A submission that failed validation: each error names the field at fault. */
export class InvalidRequest extends Error {
  constructor(readonly errors: readonly FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
    this.name = 'InvalidRequest';
  }
}

export interface TaskService {
  /** Validates and appends; throws InvalidRequest (400) or LOG_UNAVAILABLE (503). */
  submit(body: unknown): Promise<SubmitOutcome>;
  /** All or nothing: validates every item first; throws InvalidRequest with `items.<i>.<field>`. */
  submitBatch(bodies: readonly unknown[]): Promise<SubmitOutcome[]>;
  get(taskId: string): Task | undefined;
  list(query: TaskListQuery): Task[];
  cancel(taskId: string, reason?: string): Promise<CancelOutcome>;
  cluster(): ClusterView;
  /** Marks a node draining (or not); any node may ask for any node. Throws for an unknown node. */
  setDraining(node: string, draining: boolean): Promise<void>;
  /** The process is alive and its event loop turns. */
  live(): boolean;
  /** Ready to serve: session connected and the task log caught up; otherwise the reasons. */
  ready(): { readonly ready: boolean; readonly reasons: readonly string[] };
}
