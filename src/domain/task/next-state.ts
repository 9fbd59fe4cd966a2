/**
 * How the fold makes a task state from the one before: one object literal of every field.
 *
 * Why: V8 copies a spread of an object that was itself made by a spread on its slow path, and every
 * state is made from the one before, so `{ ...state, tasks, indexes }` cost most of folding an event
 * that only stores one task. The literal gives the same fields, values and key order (`leader` comes
 * last: the first EpochStarted adds it to a state without one); a property test holds it to the spread.
 */
import type { TasksState } from './state.ts';

/** `{ ...state, ...changes }`, key for key and in the same order. */
export function nextState(state: TasksState, changes: Partial<TasksState>): TasksState {
  return Object.assign(copyOf(state, changes.leader ?? state.leader), changes);
}

function copyOf(state: TasksState, leader: TasksState['leader']): TasksState {
  if (leader === undefined) {
    return {
      epoch: state.epoch,
      tasks: state.tasks,
      indexes: state.indexes,
      idempotencyKeys: state.idempotencyKeys,
      duplicates: state.duplicates,
      submittedCount: state.submittedCount,
      duplicateCount: state.duplicateCount,
      retiredCount: state.retiredCount,
      anomalies: state.anomalies,
      anomalyCount: state.anomalyCount,
    };
  }
  return {
    epoch: state.epoch,
    tasks: state.tasks,
    indexes: state.indexes,
    idempotencyKeys: state.idempotencyKeys,
    duplicates: state.duplicates,
    submittedCount: state.submittedCount,
    duplicateCount: state.duplicateCount,
    retiredCount: state.retiredCount,
    anomalies: state.anomalies,
    anomalyCount: state.anomalyCount,
    leader,
  };
}
