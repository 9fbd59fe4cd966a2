/**
 * The task log folded with the task domain's `evolve`, in the log's own order, from its initial
 * state: the same fold every live node runs.
 */
import type { DomainEvent, EventLocation } from '../../domain/event.ts';
import { evolve, initialState, type TaskEvent, type TasksState } from '../../domain/task/index.ts';
import { addedAnomalies, type TaskStep } from './replay-step.ts';

export class TaskFold {
  private current: TasksState = initialState();
  private lastAt: number | undefined;

  /** The state after every event applied so far. */
  get state(): TasksState {
    return this.current;
  }

  /** Time of the last event applied (the end of the log so far). */
  get end(): number | undefined {
    return this.lastAt;
  }

  /** Folds one (already validated) task event. */
  apply(event: DomainEvent, location: EventLocation): TaskStep {
    const before = this.current;
    const after = evolve(before, event as TaskEvent);
    this.current = after;
    this.lastAt = Math.max(this.lastAt ?? event.meta.at, event.meta.at);
    return {
      kind: 'task',
      node: event.meta.node,
      event: event as TaskEvent,
      at: event.meta.at,
      location,
      before,
      after,
      anomalies: addedAnomalies(before, after).map((anomaly) => ({ location, ...anomaly })),
    };
  }
}
