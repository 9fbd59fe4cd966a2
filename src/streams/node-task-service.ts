/**
 * The node's TaskService: submissions and cancellations are appends to the task log of the current
 * incarnation, reads come from its fold. Between incarnations (a restart after a session loss) the
 * last fold still answers reads and writes fail as unavailable.
 */
import { randomUUID } from 'node:crypto';
import { clusterStatus } from '../domain/node/index.ts';
import {
  countByStatus,
  decideCancelRequest,
  decideSubmission,
  getTask,
  initialState as initialTasksState,
  isFinished,
  listTasks,
  type SubmitTask,
  submissionsStream,
  type Task,
  type TaskEvent,
  tableValues,
  validateSubmission,
} from '../domain/task/index.ts';
import { ErrorCodes, TaskdError } from '../errors.ts';
import { execRefusal } from '../infra/handlers/exec.ts';
import type { EventLog } from '../infra/log/port.ts';
import type { ZooKeeperSession } from '../infra/zookeeper/index.ts';
import type { ClusterPaths } from './cluster-paths.ts';
import { type GroupCommit, groupCommit } from './group-commit.ts';
import type { NodeStore } from './node-store.ts';
import {
  type CancelOutcome,
  type ClusterView,
  InvalidRequest,
  type SubmitOutcome,
  type TaskService,
} from './task-service.ts';
import type { TaskView } from './task-view.ts';

/** What the service works on while an incarnation runs. */
export interface ServiceTarget {
  readonly log: EventLog;
  readonly view: TaskView;
  readonly zk: ZooKeeperSession;
}

export interface NodeTaskServiceDeps {
  readonly store: NodeStore;
  readonly paths: ClusterPaths;
  readonly execAllow: readonly string[];
  readonly target: () => ServiceTarget | undefined;
  readonly now?: () => number;
}

function unavailable(): TaskdError {
  return new TaskdError(
    ErrorCodes.LOG_UNAVAILABLE,
    'the task log is not open on this node yet (its services are starting or restarting); try again shortly',
  );
}

/** Validation shared by single and batch submissions: field errors prefixed with `prefix`. */
function validate(body: unknown, execAllow: readonly string[], prefix = ''): SubmitTask {
  const result = validateSubmission(body);
  if (!result.ok)
    throw new InvalidRequest(result.errors.map((e) => ({ field: prefix + e.field, message: e.message })));
  if (result.value.type === 'exec') {
    const refusal = execRefusal(result.value.payload, execAllow);
    if (refusal !== undefined) {
      const [field, ...rest] = refusal.split(': ');
      const message = rest.join(': ');
      throw new InvalidRequest([
        message
          ? { field: prefix + (field ?? 'payload'), message }
          : { field: `${prefix}payload`, message: refusal },
      ]);
    }
  }
  return result.value;
}

/** The TaskService of one node. */
export function createNodeTaskService(deps: NodeTaskServiceDeps): TaskService {
  const now = deps.now ?? Date.now;
  const live = (): ServiceTarget => deps.target() ?? failUnavailable();
  const failUnavailable = (): never => {
    throw unavailable();
  };
  let lastView: TaskView | undefined;
  const view = (): TaskView | undefined => {
    const current = deps.target()?.view;
    if (current !== undefined) lastView = current;
    return lastView;
  };
  const who = () => {
    const state = deps.store.current();
    return { node: state.config.node, incarnation: state.incarnation };
  };

  // One group commit per log (a new incarnation opens a new one) to this node's own submissions
  // stream, of which it is the only writer: submissions and cancel requests made together, or while
  // an append is in flight, share one append instead of racing each other on the stream head.
  const groups = new WeakMap<EventLog, GroupCommit<TaskEvent>>();
  const submissionsOf = (log: EventLog): GroupCommit<TaskEvent> => {
    let group = groups.get(log);
    if (group === undefined) {
      const stream = submissionsStream(deps.store.current().config.node);
      group = groupCommit<TaskEvent>((events) => log.append(stream, events, 'any'));
      groups.set(log, group);
    }
    return group;
  };

  const submitAll = async (commands: readonly SubmitTask[]): Promise<SubmitOutcome[]> => {
    const { log, view: fold } = live();
    const decisions = commands.map((command) =>
      decideSubmission(command, { taskId: randomUUID(), now: now(), ...who() }, fold.current()),
    );
    const events = decisions.flatMap((d) => d.events);
    if (events.length > 0) {
      const result = await submissionsOf(log).add(events);
      await visible(fold, result.position);
    }
    return decisions.map((decision) => {
      const task = getTask(fold.current(), decision.taskId);
      if (task === undefined)
        throw new TaskdError(
          ErrorCodes.LOG_UNAVAILABLE,
          `task ${decision.taskId} was appended but is not folded yet`,
        );
      // Two nodes may accept the same key at once: the fold keeps the first, which answers both.
      return { task, created: !decision.duplicate && task.taskId === decision.taskId };
    });
  };

  return {
    submit: async (body) => (await submitAll([validate(body, deps.execAllow)]))[0] as SubmitOutcome,
    submitBatch: async (bodies) =>
      submitAll(bodies.map((body, i) => validate(body, deps.execAllow, `tasks.${i}.`))),
    get: (taskId) => {
      const fold = view();
      return fold === undefined ? undefined : getTask(fold.current(), taskId);
    },
    list: (query) => {
      const fold = view();
      if (fold === undefined) return [];
      return listTasks(fold.current(), {
        ...(query.state === undefined ? {} : { status: query.state }),
        ...(query.node === undefined ? {} : { node: query.node }),
        limit: query.limit ?? 100,
      });
    },
    cancel: async (taskId, reason): Promise<CancelOutcome> => {
      const { log, view: fold } = live();
      const decision = decideCancelRequest(
        { taskId, now: now(), ...who(), ...(reason === undefined ? {} : { reason }) },
        fold.current(),
      );
      if (!decision.ok) {
        if (decision.reason === 'unknown-task') return { kind: 'unknown-task' };
        return { kind: 'already-finished', task: getTask(fold.current(), taskId) as Task };
      }
      if (decision.events.length > 0) {
        const result = await submissionsOf(log).add(decision.events);
        await visible(fold, result.position);
      }
      // This node's fold may have lagged behind the log: the task may have ended before the request
      // was written. Folded up to the request, the log says which came first.
      const task = getTask(fold.current(), decision.taskId) as Task;
      if (isFinished(task) && task.status !== 'cancelled') return { kind: 'already-finished', task };
      return { kind: 'requested', task };
    },
    cluster: (): ClusterView => {
      const state = deps.store.current();
      const status = clusterStatus(state);
      const tasks = view()?.current();
      const running = (node: string) => {
        let count = 0;
        if (tasks !== undefined)
          for (const task of tableValues(tasks.indexes.active)) if (task.assignment.node === node) count += 1;
        return count;
      };
      return {
        node: status.node,
        leader: status.leader,
        epoch: status.epoch,
        vipHolder: status.vipHolder,
        degraded: status.degraded,
        session: status.session,
        members: Object.values(state.members).map((m) => ({
          node: m.node,
          address: m.address,
          incarnation: m.incarnation,
          health: m.health,
          draining: m.draining,
          capacity: m.capacity,
          prefetch: m.prefetch ?? 0,
          running: running(m.node),
        })),
        tasks: countByStatus(tasks ?? initialTasksState()),
      };
    },
    setDraining: async (node, draining) => {
      const { zk } = live();
      if (deps.store.current().members[node] === undefined) {
        throw new TaskdError(ErrorCodes.VALIDATION, `node ${node} is not a live member of this cluster`, {
          node,
          status: 404,
        });
      }
      const path = deps.paths.drain(node);
      await zk.mkdirp(deps.paths.drains);
      if (draining) await zk.create(path).catch((error: unknown) => ignore(error, ErrorCodes.ZK_NODE_EXISTS));
      else await zk.remove(path).catch((error: unknown) => ignore(error, ErrorCodes.ZK_NO_NODE));
    },
    live: () => true,
    ready: () => {
      const reasons: string[] = [];
      const state = deps.store.current();
      if (state.lifecycle.status !== 'running') reasons.push(`services ${state.lifecycle.status}`);
      if (state.session.status !== 'connected') reasons.push(`ZooKeeper session ${state.session.status}`);
      if (!deps.target()?.view.caughtUp()) reasons.push('task log not caught up');
      return { ready: reasons.length === 0, reasons };
    },
  };
}

function ignore(error: unknown, code: string): void {
  if ((error as { code?: string } | null)?.code !== code) throw error;
}

/** How long a request waits for its own append to come back through the fold before answering 503. */
export const VISIBLE_TIMEOUT_MS = 10_000;

/** Waits until the fold has reached `position`, or fails as unavailable (the store is unreachable). */
async function visible(fold: TaskView, position: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new TaskdError(
            ErrorCodes.LOG_UNAVAILABLE,
            'appended, but not yet readable back from the task log; check the task later',
          ),
        ),
      VISIBLE_TIMEOUT_MS,
    );
    timer.unref();
  });
  try {
    await Promise.race([fold.reached(position), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
