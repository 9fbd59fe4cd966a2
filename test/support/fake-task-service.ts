/**
 * An in-memory TaskService for API and taskctl tests, backed by the real task domain: validation,
 * idempotency and cancellation come from the same decisions and the same fold the daemon uses, so
 * the behaviour the API shows is real. Only the log is fake (an array), and time and ids are counters.
 *
 * Test controls: `failNextAppend(error)`, `run`/`succeed` to move a task along with real dispatch and
 * runner events, `members`, `liveness`, `readiness`, and `invalidAppends` (events whose data the
 * domain's own schemas reject: a correct API never causes one).
 */
import type { EventMeta } from '../../src/domain/event.ts';
import {
  countByStatus,
  decideCancelRequest,
  decideSubmission,
  evolve,
  type FieldError,
  getTask,
  initialState,
  type JsonValue,
  listTasks,
  type SubmitTask,
  type Task,
  type TaskEvent,
  TaskEventDataSchemas,
  type TasksState,
  taskEvent,
  validateSubmission,
} from '../../src/domain/task/index.ts';
import { ErrorCodes, TaskdError } from '../../src/errors.ts';
import {
  type CancelOutcome,
  type ClusterView,
  InvalidRequest,
  type MemberStatus,
  type SubmitOutcome,
  type TaskListQuery,
  type TaskService,
} from '../../src/streams/task-service.ts';

type Member = Omit<MemberStatus, 'running'>;

const member = (node: string, address: string): Member => ({
  node,
  address,
  incarnation: 1,
  health: 'healthy',
  draining: false,
  capacity: 4,
  prefetch: 0,
});

export class FakeTaskService implements TaskService {
  state: TasksState = initialState();
  readonly appended: TaskEvent[] = [];
  readonly invalidAppends: TaskEvent[] = [];
  readonly node = 'node-a';
  members: Member[] = [member('node-a', '127.0.0.1:7070'), member('node-b', '127.0.0.2:7070')];
  degraded: string[] = [];
  liveness = true;
  readiness: { ready: boolean; reasons: string[] } = { ready: true, reasons: [] };
  private now = 1_700_000_000_000;
  private nextId = 1;
  private pendingFailures: Error[] = [];

  /** The next append throws `error` (e.g. LOG_UNAVAILABLE) and appends nothing. */
  failNextAppend(error: Error = new TaskdError(ErrorCodes.LOG_UNAVAILABLE, 'log down')): void {
    this.pendingFailures.push(error);
  }

  async submit(body: unknown): Promise<SubmitOutcome> {
    const checked = validateSubmission(body);
    if (!checked.ok) throw new InvalidRequest(checked.errors);
    const [outcome] = this.appendSubmissions([checked.value]);
    return outcome!;
  }

  async submitBatch(bodies: readonly unknown[]): Promise<SubmitOutcome[]> {
    const commands: SubmitTask[] = [];
    const errors: FieldError[] = [];
    bodies.forEach((body, i) => {
      const checked = validateSubmission(body);
      if (checked.ok) commands.push(checked.value);
      else errors.push(...checked.errors.map((e) => ({ ...e, field: joinField(`items.${i}`, e.field) })));
    });
    if (errors.length > 0) throw new InvalidRequest(errors);
    return this.appendSubmissions(commands);
  }

  get(taskId: string): Task | undefined {
    return getTask(this.state, taskId);
  }

  list(query: TaskListQuery): Task[] {
    return listTasks(this.state, { status: query.state, node: query.node, limit: query.limit });
  }

  async cancel(taskId: string, reason?: string): Promise<CancelOutcome> {
    const decision = decideCancelRequest({ taskId, reason, ...this.context() }, this.state);
    if (!decision.ok) {
      if (decision.reason === 'unknown-task') return { kind: 'unknown-task' };
      return { kind: 'already-finished', task: this.get(taskId)! };
    }
    this.append(decision.events);
    return { kind: 'requested', task: this.get(decision.taskId)! };
  }

  cluster(): ClusterView {
    const tasks = listTasks(this.state, { status: ['assigned', 'running'] });
    return {
      node: this.node,
      leader: this.state.leader?.node ?? 'node-a',
      epoch: this.state.epoch,
      vipHolder: 'node-a',
      degraded: [...this.degraded],
      session: 'connected',
      members: this.members.map((m) => ({
        ...m,
        running: tasks.filter((t) => t.assignment?.node === m.node).length,
      })),
      tasks: countByStatus(this.state),
    };
  }

  async setDraining(node: string, draining: boolean): Promise<void> {
    const found = this.members.find((m) => m.node === node);
    if (found === undefined) throw new TaskdError(ErrorCodes.ZK_NO_NODE, `no member ${node}`);
    this.members = this.members.map((m) => (m.node === node ? { ...m, draining } : m));
  }

  live(): boolean {
    return this.liveness;
  }

  ready(): { readonly ready: boolean; readonly reasons: readonly string[] } {
    return this.readiness;
  }

  /** Assigns and starts a pending task on `node` with real dispatch and runner events. */
  run(taskId: string, node = 'node-a'): void {
    if (this.state.epoch === 0) {
      this.append([taskEvent('EpochStarted', { epoch: 1, leader: 'node-a', incarnation: 1 }, this.meta())]);
    }
    const ref = { taskId, attempt: 1, epoch: this.state.epoch, node, incarnation: 1 };
    this.append([
      taskEvent('TaskAssigned', ref, this.meta()),
      taskEvent('TaskStarted', ref, { ...this.meta(), node }),
    ]);
  }

  /** Runs (if needed) and finishes a task successfully. */
  succeed(taskId: string, result: JsonValue = { ok: true }): void {
    if (this.get(taskId)?.status === 'pending') this.run(taskId);
    const assignment = this.get(taskId)?.assignment;
    if (assignment === undefined) throw new Error(`task ${taskId} is not assigned`);
    const ref = {
      taskId,
      attempt: assignment.attempt,
      epoch: assignment.epoch,
      node: assignment.node,
      incarnation: 1,
    };
    this.append([taskEvent('TaskSucceeded', { ...ref, result }, { ...this.meta(), node: assignment.node })]);
  }

  private appendSubmissions(commands: readonly SubmitTask[]): SubmitOutcome[] {
    // Decide each against the state the earlier ones produce, as the log's order would, then append all.
    let state = this.state;
    const decisions = commands.map((command) => {
      const decision = decideSubmission(
        command,
        { taskId: `task-${this.nextId++}`, ...this.context() },
        state,
      );
      state = decision.events.reduce(evolve, state);
      return decision;
    });
    this.append(decisions.flatMap((d) => d.events));
    return decisions.map((d) => ({ task: this.get(d.taskId)!, created: !d.duplicate }));
  }

  private append(events: readonly TaskEvent[]): void {
    const failure = this.pendingFailures.shift();
    if (failure !== undefined) throw failure;
    for (const event of events) {
      if (!TaskEventDataSchemas[event.type].safeParse(event.data).success) this.invalidAppends.push(event);
      this.appended.push(event);
      this.state = evolve(this.state, event);
    }
  }

  private context(): { now: number; node: string; incarnation: number } {
    this.now += 1;
    return { now: this.now, node: this.node, incarnation: 1 };
  }

  private meta(): EventMeta {
    this.now += 1;
    return { node: this.node, incarnation: 1, epoch: this.state.epoch, at: this.now };
  }
}

function joinField(prefix: string, field: string): string {
  return field === '' ? prefix : `${prefix}.${field}`;
}
