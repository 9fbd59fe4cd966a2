/**
 * What the task fold or parser could not apply. The event stays in the log (post-mortems need it);
 * the state records why it changed nothing.
 */
import type { Anomaly } from '../event.ts';
import type { TaskEvent } from './events.ts';
import { nextState } from './next-state.ts';
import { ANOMALY_MEMORY } from './policy.ts';
import type { TasksState } from './state.ts';

export const TaskAnomalies = {
  /** A report for an attempt that is not the current assignment, or a dispatcher event from an old epoch. */
  zombieWrite: 'zombie-write',
  /** An EpochStarted that does not grow the epoch. */
  epochNotIncreasing: 'epoch-not-increasing',
  unknownTask: 'unknown-task',
  duplicateTaskId: 'duplicate-task-id',
  /** The event does not fit the task's status or attempt (a lost race, or a bug in the writer). */
  invalidTransition: 'invalid-transition',
  unknownEventType: 'unknown-event-type',
  unknownEventVersion: 'unknown-event-version',
  malformedEvent: 'malformed-event',
  /** evolve itself failed on this event: a bug, kept visible instead of killing the fold. */
  evolveFailed: 'evolve-failed',
} as const;

export type TaskAnomalyKind = (typeof TaskAnomalies)[keyof typeof TaskAnomalies];

/** The state with one more anomaly about `event`; nothing else changes. */
export function withAnomaly(
  state: TasksState,
  event: TaskEvent,
  kind: TaskAnomalyKind,
  message: string,
): TasksState {
  return recordAnomaly(state, {
    kind,
    message,
    ...(typeof event?.type === 'string' ? { eventType: event.type } : {}),
    ...(typeof event?.meta?.at === 'number' ? { at: event.meta.at } : {}),
    ...(event?.location === undefined ? {} : { location: event.location }),
  });
}

/** The state with `anomaly` appended, forgetting the oldest past ANOMALY_MEMORY. */
export function recordAnomaly(state: TasksState, anomaly: Anomaly): TasksState {
  const kept = state.anomalies.length >= ANOMALY_MEMORY ? state.anomalies.slice(1) : state.anomalies;
  return nextState(state, { anomalies: [...kept, anomaly], anomalyCount: state.anomalyCount + 1 });
}
