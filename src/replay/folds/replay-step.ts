/**
 * One replayed event with the states around it: what every detector, the narrator and the renderers
 * look at. The states are the domain's own (folded with its `evolve`), never a copy of its rules.
 */
import type { Anomaly, EventLocation } from '../../domain/event.ts';
import type { NodeEvent, NodeState } from '../../domain/node/index.ts';
import type { TaskEvent, TasksState } from '../../domain/task/index.ts';

export interface NodeStep {
  readonly kind: 'node';
  /** The journal's owner. */
  readonly node: string;
  readonly event: NodeEvent;
  /** False when the fold found the event malformed (unknown type, bad data): narrate it generically. */
  readonly valid: boolean;
  readonly at: number;
  readonly location: EventLocation;
  readonly before: NodeState;
  readonly after: NodeState;
  /** What the fold could not apply at this event, located. */
  readonly anomalies: readonly Anomaly[];
}

export interface TaskStep {
  readonly kind: 'task';
  /** The node that wrote the event. */
  readonly node: string;
  readonly event: TaskEvent;
  readonly at: number;
  readonly location: EventLocation;
  readonly before: TasksState;
  readonly after: TasksState;
  readonly anomalies: readonly Anomaly[];
}

export type ReplayStep = NodeStep | TaskStep;

/** The anomalies a fold added between two of its states (both have `anomalies` and `anomalyCount`). */
export function addedAnomalies(
  before: { readonly anomalyCount: number },
  after: { readonly anomalies: readonly Anomaly[]; readonly anomalyCount: number },
): readonly Anomaly[] {
  const added = after.anomalyCount - before.anomalyCount;
  return added <= 0 ? [] : after.anomalies.slice(-added);
}
