/**
 * Who takes a dispatcher decision: the leader of an epoch, at a time. Every event a dispatcher
 * decision returns carries it as meta; a leader whose term is not the latest decides nothing.
 */
import type { EventMeta } from '../event.ts';
import type { TasksState } from './state.ts';

export interface LeaderContext {
  readonly now: number;
  readonly epoch: number;
  /** The leader's node id. */
  readonly leader: string;
  readonly incarnation: number;
}

/** The meta of an event the leader appends now. */
export function leaderMeta(context: LeaderContext): EventMeta {
  return { node: context.leader, incarnation: context.incarnation, epoch: context.epoch, at: context.now };
}

/** Is this leader the one whose EpochStarted the state folded last? */
export function isCurrentLeader(context: LeaderContext, state: TasksState): boolean {
  return (
    context.epoch === state.epoch &&
    state.leader?.node === context.leader &&
    state.leader.incarnation === context.incarnation
  );
}
