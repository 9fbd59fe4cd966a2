/**
 * An independent reading of the task log, written from DESIGN §3 rather than from `evolve`: which
 * events a correct fold applies and which it must refuse (zombie reports, stale dispatcher writes),
 * and the state each task ends in. The chaos oracle holds `taskd replay` and every node's API to it.
 */
import type { LoggedEvent } from '../../src/infra/log/port.ts';

type Status =
  | 'pending'
  | 'assigned'
  | 'running'
  | 'interrupted'
  | 'awaiting_retry'
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'timed_out';

const TERMINAL: readonly Status[] = ['succeeded', 'failed', 'cancelled', 'timed_out'];

interface Ref {
  readonly attempt: number;
  readonly epoch: number;
  readonly node: string;
  readonly incarnation: number;
}

export interface OracleTask {
  readonly taskId: string;
  readonly type: string;
  readonly idempotencyKey: string | undefined;
  readonly maxAttempts: number;
  status: Status;
  attempt: number;
  assignment?: Ref;
  /** Transitions into a terminal status (exactly one for a task that ended). */
  ends: number;
  cancelRequested: boolean;
  /** A TaskCancelRequested is in the log, applied or not. */
  cancelInLog: boolean;
  /** Attempts that ran (a valid TaskStarted). */
  started: number;
}

export interface RefusedEvent {
  readonly position: number;
  readonly type: string;
  readonly taskId: string | undefined;
  readonly why: string;
}

export interface LogReading {
  readonly tasks: Map<string, OracleTask>;
  /** Later submissions with a known idempotency key, folded into the first: id → first id. */
  readonly aliases: Map<string, string>;
  /** Positions of events a correct fold refuses, with why. */
  readonly refused: Map<number, RefusedEvent>;
  /** Dispatcher writes from an epoch older than one already started: fencing failed. */
  readonly staleDispatch: RefusedEvent[];
  /** The same report written twice for one assignment. */
  readonly repeatedReports: RefusedEvent[];
}

const isActive = (task: OracleTask) => task.status === 'assigned' || task.status === 'running';
const isTerminal = (task: OracleTask) => TERMINAL.includes(task.status);

/** Reads the log in order. */
export function readLog(log: readonly LoggedEvent[]): LogReading {
  const reading: LogReading = {
    tasks: new Map(),
    aliases: new Map(),
    refused: new Map(),
    staleDispatch: [],
    repeatedReports: [],
  };
  const byKey = new Map<string, string>();
  const reports = new Set<string>();
  let epoch = 0;
  for (const event of log) {
    const data = event.data as Record<string, unknown>;
    const taskId = typeof data.taskId === 'string' ? data.taskId : undefined;
    const refuse = (why: string) =>
      reading.refused.set(event.position, { position: event.position, type: event.type, taskId, why });
    if (event.stream === 'dispatch') {
      const written = Number(data.epoch ?? event.meta.epoch);
      if (event.type === 'EpochStarted' ? written <= epoch : written < epoch) {
        reading.staleDispatch.push({
          position: event.position,
          type: event.type,
          taskId,
          why: `epoch ${written} after epoch ${epoch} started`,
        });
        refuse(`stale epoch ${written} < ${epoch}`);
        continue;
      }
      if (event.type === 'EpochStarted') {
        epoch = written;
        continue;
      }
    }
    if (event.type === 'TaskSubmitted') {
      const key = typeof data.idempotencyKey === 'string' ? data.idempotencyKey : undefined;
      const first = key === undefined ? undefined : byKey.get(key);
      // The same submission appended twice (a retried append) changes nothing and is no fault.
      if (taskId !== undefined && first === taskId) continue;
      if (taskId === undefined || reading.tasks.has(taskId) || reading.aliases.has(taskId))
        refuse('task id already submitted');
      else if (first !== undefined) reading.aliases.set(taskId, first);
      else {
        if (key !== undefined) byKey.set(key, taskId);
        reading.tasks.set(taskId, {
          taskId,
          type: String(data.type),
          idempotencyKey: key,
          maxAttempts: Number(data.maxAttempts),
          status: 'pending',
          attempt: 1,
          ends: 0,
          cancelRequested: false,
          cancelInLog: false,
          started: 0,
        });
      }
      continue;
    }
    const task = taskId === undefined ? undefined : reading.tasks.get(taskId);
    if (task === undefined) {
      refuse('unknown task');
      continue;
    }
    const why = apply(task, event, data, reports);
    if (why === 'repeated')
      reading.repeatedReports.push({ position: event.position, type: event.type, taskId, why });
    if (why !== undefined) refuse(why);
  }
  return reading;
}

/** Applies one event to its task; returns why it is refused, or undefined. */
function apply(
  task: OracleTask,
  event: LoggedEvent,
  data: Record<string, unknown>,
  reports: Set<string>,
): string | undefined {
  const attempt = Number(data.attempt);
  const end = (status: Status) => {
    task.status = status;
    task.ends += 1;
  };
  switch (event.type) {
    case 'TaskCancelRequested':
      task.cancelInLog = true;
      // A cancel decided on a node whose fold lagged loses the race with the task's end: nothing to
      // apply and nothing wrong (the domain ignores it the same way, without an anomaly).
      if (isTerminal(task)) return undefined;
      task.cancelRequested = true;
      return undefined;
    case 'TaskAssigned':
      if (task.status !== 'pending' || attempt !== task.attempt) return `assigned while ${task.status}`;
      task.status = 'assigned';
      task.assignment = refOf(data);
      return undefined;
    case 'TaskInterrupted':
      if (!isActive(task) || attempt !== task.attempt) return `interrupted while ${task.status}`;
      task.status = 'interrupted';
      return undefined;
    case 'TaskRequeued':
      if ((task.status !== 'interrupted' && task.status !== 'awaiting_retry') || attempt !== task.attempt + 1)
        return `requeued while ${task.status}`;
      if (attempt > task.maxAttempts) return 'requeued past maxAttempts';
      task.status = 'pending';
      task.attempt = attempt;
      return undefined;
    case 'TaskTimedOut':
      if (!isActive(task) || attempt !== task.attempt) return `timed out while ${task.status}`;
      end('timed_out');
      return undefined;
    case 'TaskCancelled':
      if (isTerminal(task) || attempt !== task.attempt) return `cancelled while ${task.status}`;
      end('cancelled');
      return undefined;
    case 'TaskAttemptsExhausted':
      if (task.status !== 'interrupted' && task.status !== 'awaiting_retry')
        return `exhausted while ${task.status}`;
      if (task.attempt < task.maxAttempts || attempt !== task.attempt) return 'exhausted with attempts left';
      end('failed');
      return undefined;
    case 'TaskRetired':
      return isTerminal(task) ? undefined : `retired while ${task.status}`;
    case 'TaskStarted':
    case 'TaskProgressed':
    case 'TaskSucceeded':
    case 'TaskFailed':
      return applyReport(task, event.type, data, reports);
    default:
      return `unknown event type ${event.type}`;
  }
}

/** A runner's report changes the task only when it names the current assignment exactly. */
function applyReport(
  task: OracleTask,
  type: string,
  data: Record<string, unknown>,
  reports: Set<string>,
): string | undefined {
  const ref = refOf(data);
  const key = `${type}|${task.taskId}|${ref.attempt}|${ref.epoch}|${ref.node}|${ref.incarnation}`;
  const repeated = type !== 'TaskProgressed' && reports.has(key);
  reports.add(key);
  const current = task.assignment;
  const same =
    current !== undefined &&
    current.attempt === ref.attempt &&
    current.epoch === ref.epoch &&
    current.node === ref.node &&
    current.incarnation === ref.incarnation;
  if (!isActive(task) || !same) return repeated ? 'repeated' : `zombie: task is ${task.status}`;
  switch (type) {
    case 'TaskStarted':
      if (task.status === 'running') return 'repeated';
      task.status = 'running';
      task.started += 1;
      return undefined;
    case 'TaskProgressed':
      task.status = 'running';
      return undefined;
    case 'TaskSucceeded':
      task.status = 'succeeded';
      task.ends += 1;
      return undefined;
    default: {
      const retry = data.retryable === true && task.attempt < task.maxAttempts;
      task.status = retry ? 'awaiting_retry' : 'failed';
      if (!retry) task.ends += 1;
      return undefined;
    }
  }
}

function refOf(data: Record<string, unknown>): Ref {
  return {
    attempt: Number(data.attempt),
    epoch: Number(data.epoch),
    node: String(data.node),
    incarnation: Number(data.incarnation),
  };
}

/** Is this status one a task ends in? */
export function isTerminalStatus(status: string): boolean {
  return (TERMINAL as readonly string[]).includes(status);
}
