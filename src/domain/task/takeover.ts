/**
 * What a new leader appends once it has folded the log: its epoch first (the fence that turns the
 * old leader's late writes into zombie writes), then the reconcile of tasks whose runner is gone.
 */
import { type EpochStarted, type TaskEvent, taskEvent } from './events.ts';
import { leaderMeta } from './leader-context.ts';
import { type MembersChangedInput, reconcileLostRunners } from './lost-runners.ts';
import type { TasksState } from './state.ts';

export type TakeoverInput = MembersChangedInput;

/** EpochStarted, then interrupt + requeue/fail for each task on a lost runner; nothing if the epoch does not grow. */
export function decideTakeover(input: TakeoverInput, state: TasksState): TaskEvent[] {
  // A leader whose epoch does not grow is not the newest: appending would only record an anomaly.
  if (input.epoch <= state.epoch) return [];
  const { epoch, leader, incarnation } = input;
  const started = taskEvent<EpochStarted>('EpochStarted', { epoch, leader, incarnation }, leaderMeta(input));
  return [started, ...reconcileLostRunners(input, state)];
}
