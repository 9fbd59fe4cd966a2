/**
 * The task fold: `evolve(state, event) → state`, for live (`scan`) and replay (`reduce`) alike.
 * Pure and total: it returns the same state when an event changes nothing, and it never throws;
 * what it cannot apply is recorded as an anomaly and the event stays in the log.
 */
import { recordAnomaly, TaskAnomalies, withAnomaly } from './anomalies.ts';
import type { DispatchEvent, TaskEvent } from './events.ts';
import {
  onAssigned,
  onAttemptsExhausted,
  onCancelled,
  onEpochStarted,
  onInterrupted,
  onRequeued,
  onRetired,
  onTimedOut,
} from './evolve-dispatch.ts';
import { onReport } from './evolve-reports.ts';
import { onCancelRequested, onSubmitted } from './evolve-submissions.ts';
import type { TasksState } from './state.ts';

/** The state after `event`. */
export function evolve(state: TasksState, event: TaskEvent): TasksState {
  if (!hasEventShape(event)) {
    return recordAnomaly(state, {
      kind: TaskAnomalies.malformedEvent,
      message: 'evolve was given a non-event',
    });
  }
  try {
    return apply(state, event);
  } catch (error) {
    // A bug must not kill the fold (a throw inside `scan` ends the stream): keep it visible instead.
    const message = `${event.type}: evolve failed: ${error instanceof Error ? error.message : String(error)}`;
    return withAnomaly(state, event, TaskAnomalies.evolveFailed, message);
  }
}

function apply(state: TasksState, event: TaskEvent): TasksState {
  switch (event.type) {
    case 'TaskSubmitted':
      return onSubmitted(state, event);
    case 'TaskCancelRequested':
      return onCancelRequested(state, event);
    case 'EpochStarted':
      return onEpochStarted(state, event);
    case 'TaskAssigned':
      return fenced(state, event) ?? onAssigned(state, event);
    case 'TaskInterrupted':
      return fenced(state, event) ?? onInterrupted(state, event);
    case 'TaskRequeued':
      return fenced(state, event) ?? onRequeued(state, event);
    case 'TaskTimedOut':
      return fenced(state, event) ?? onTimedOut(state, event);
    case 'TaskCancelled':
      return fenced(state, event) ?? onCancelled(state, event);
    case 'TaskAttemptsExhausted':
      return fenced(state, event) ?? onAttemptsExhausted(state, event);
    case 'TaskRetired':
      return fenced(state, event) ?? onRetired(state, event);
    case 'TaskStarted':
    case 'TaskProgressed':
    case 'TaskSucceeded':
    case 'TaskFailed':
      return onReport(state, event);
    default: {
      const unknown: never = event;
      const type = (unknown as { type?: unknown }).type;
      return withAnomaly(
        state,
        unknown,
        TaskAnomalies.unknownEventType,
        `unknown event type "${String(type)}"`,
      );
    }
  }
}

/**
 * A decision from an older leadership term is a zombie write: that leader was deposed (paused,
 * partitioned) and wrote on a stale belief. Returns the state with the anomaly, or undefined to go on.
 */
function fenced(
  state: TasksState,
  event: Exclude<DispatchEvent, { type: 'EpochStarted' }>,
): TasksState | undefined {
  if (event.data.epoch >= state.epoch) return undefined;
  const message = `${event.type} for task ${event.data.taskId} from epoch ${event.data.epoch}, but epoch ${state.epoch} has started`;
  return withAnomaly(state, event, TaskAnomalies.zombieWrite, message);
}

function hasEventShape(event: unknown): event is TaskEvent {
  if (typeof event !== 'object' || event === null) return false;
  const { type, data, meta } = event as { type?: unknown; data?: unknown; meta?: unknown };
  return (
    typeof type === 'string' &&
    typeof data === 'object' &&
    data !== null &&
    typeof meta === 'object' &&
    meta !== null
  );
}
