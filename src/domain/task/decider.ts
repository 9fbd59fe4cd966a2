/**
 * The dispatcher's decisions as one emmett-style decider, for code that wants the single
 * `decide(command, state)` shape (a generic command loop, replay tooling). The functions it routes
 * to are exported too and are what the tests call.
 */
import { assertNever, type Decider } from '../event.ts';
import type { TaskEvent } from './events.ts';
import { evolve } from './evolve.ts';
import { decideMembersChanged, type MembersChangedInput } from './lost-runners.ts';
import { type AssignInput, decideAssignments } from './schedule.ts';
import { initialState, type TasksState } from './state.ts';
import { decideTakeover, type TakeoverInput } from './takeover.ts';
import { decideTick, type TickInput } from './tick.ts';

export type DispatcherCommand =
  | { readonly type: 'TakeOver'; readonly input: TakeoverInput }
  | { readonly type: 'ReconcileMembers'; readonly input: MembersChangedInput }
  | { readonly type: 'Tick'; readonly input: TickInput }
  | { readonly type: 'AssignTasks'; readonly input: AssignInput };

/** Routes a dispatcher command to its decision. */
export function decideDispatch(command: DispatcherCommand, state: TasksState): readonly TaskEvent[] {
  switch (command.type) {
    case 'TakeOver':
      return decideTakeover(command.input, state);
    case 'ReconcileMembers':
      return decideMembersChanged(command.input, state);
    case 'Tick':
      return decideTick(command.input, state);
    case 'AssignTasks':
      return decideAssignments(command.input, state);
    default:
      return assertNever(command);
  }
}

export const dispatcherDecider: Decider<DispatcherCommand, TasksState, TaskEvent> = {
  initialState,
  decide: decideDispatch,
  evolve,
};
