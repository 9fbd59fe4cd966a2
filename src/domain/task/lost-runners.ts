/**
 * Tasks whose runner is gone: its node left the member list, or came back as a new incarnation (a new
 * ZooKeeper session: the old process aborted its work). Each becomes interrupted, then is requeued,
 * cancelled or failed for good, in one batch.
 */
import type { MembersView } from '../members.ts';
import { type TaskEvent, type TaskInterrupted, taskEvent } from './events.ts';
import { isCurrentLeader, type LeaderContext, leaderMeta } from './leader-context.ts';
import { decideRetry } from './retry.ts';
import type { Assignment, TasksState } from './state.ts';
import { tableValues } from './table.ts';

export interface MembersChangedInput extends LeaderContext {
  readonly members: MembersView;
  /** A number in [0, 1) for the backoff jitter. */
  readonly jitter: number;
}

/** The current leader's answer to a new member view: interrupt and requeue what lost its runner. */
export function decideMembersChanged(input: MembersChangedInput, state: TasksState): TaskEvent[] {
  return isCurrentLeader(input, state) ? reconcileLostRunners(input, state) : [];
}

/** Interrupt then requeue / fail every assigned or running task whose runner is not in `members`. */
export function reconcileLostRunners(input: MembersChangedInput, state: TasksState): TaskEvent[] {
  const events: TaskEvent[] = [];
  const active = [...tableValues(state.indexes.active)].sort((a, b) => a.seq - b.seq);
  for (const task of active) {
    const reason = lostRunnerReason(task.assignment, input.members);
    if (reason === undefined) continue;
    const { taskId, attempt } = task;
    const data = { taskId, attempt, epoch: input.epoch, reason };
    events.push(taskEvent<TaskInterrupted>('TaskInterrupted', data, leaderMeta(input)));
    events.push(decideRetry(task, reason, input, input.jitter));
  }
  return events;
}

/** Why the runner of `assignment` is gone, or undefined when it is still a member. */
export function lostRunnerReason(assignment: Assignment, members: MembersView): string | undefined {
  const member = members[assignment.node];
  if (member === undefined) return `node ${assignment.node} left the cluster`;
  if (member.incarnation !== assignment.incarnation) {
    return `node ${assignment.node} rejoined as incarnation ${member.incarnation} (the attempt ran on ${assignment.incarnation})`;
  }
  return undefined;
}
