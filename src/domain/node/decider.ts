/**
 * The node domain as one emmett-style decider: commands in, events out. Each command is a thin
 * route to its `decide…` function; the VIP decision is an effect intent (`decideVip`), not an event,
 * because `VipAcquired` records what `ip addr add` did, not what caused it.
 */
import { assertNever, type Decider } from '../event.ts';
import type { MembersView } from '../members.ts';
import type { NodeConfig, RestartPolicy } from './config.ts';
import type { NodeEvent, ShutdownTrigger } from './events.ts';
import { evolve } from './evolve.ts';
import { decideLeadership } from './leadership.ts';
import { decideRestart } from './restart.ts';
import { decideSessionSignal, decideSessionTimer, type SessionSignal } from './session.ts';
import { initialState, type NodeState } from './state.ts';
import { decideShutdown, decideTeardown } from './teardown.ts';

export type NodeCommand =
  | { readonly type: 'RecordSessionSignal'; readonly now: number; readonly signal: SessionSignal }
  | { readonly type: 'CheckSessionTimer'; readonly now: number }
  | {
      readonly type: 'RequestShutdown';
      readonly now: number;
      readonly trigger: ShutdownTrigger;
      readonly detail?: string;
    }
  | { readonly type: 'AdvanceTeardown'; readonly now: number }
  | { readonly type: 'ReviewLeadership'; readonly now: number; readonly members: MembersView }
  | { readonly type: 'PlanRestart'; readonly now: number; readonly policy: RestartPolicy };

/** The events a command produces in this state. */
export function decide(command: NodeCommand, state: NodeState): readonly NodeEvent[] {
  switch (command.type) {
    case 'RecordSessionSignal':
      return decideSessionSignal(command, state);
    case 'CheckSessionTimer':
      return decideSessionTimer(command, state);
    case 'RequestShutdown':
      return decideShutdown(command, state);
    case 'AdvanceTeardown':
      return decideTeardown(command, state);
    case 'ReviewLeadership':
      return decideLeadership(command, state);
    case 'PlanRestart':
      return decideRestart(command, state);
    default:
      return assertNever(command);
  }
}

/** The node decider for one node's config. */
export function nodeDecider(config: NodeConfig): Decider<NodeCommand, NodeState, NodeEvent> {
  return { initialState: () => initialState(config), decide, evolve };
}
