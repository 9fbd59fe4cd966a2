/**
 * The scheduling policy: which pending task goes to which runner. Oldest due task first, to the
 * least loaded live member that is not draining and has a free slot. Load is what the STATE says the
 * node holds (assigned or running attempts of its current incarnation), so a decision never counts on
 * a member's self-report that may lag; a member that just joined has zero load and is used at once.
 */
import type { MembersView, MemberView } from '../members.ts';
import { type TaskAssigned, taskEvent } from './events.ts';
import { isCurrentLeader, type LeaderContext, leaderMeta } from './leader-context.ts';
import { optional, type PendingTask, type TasksState } from './state.ts';
import { tableValues } from './table.ts';

export interface AssignInput extends LeaderContext {
  readonly members: MembersView;
  /** At most this many assignments in one decision (one append batch); unbounded when absent. */
  readonly maxAssignments?: number;
}

interface Slot {
  readonly member: MemberView;
  used: number;
}

/** TaskAssigned events for due tasks, one per free slot; nothing when this leader's term is not the latest. */
export function decideAssignments(input: AssignInput, state: TasksState): TaskAssigned[] {
  if (!isCurrentLeader(input, state)) return [];
  const slots = runnerSlots(input.members, state);
  const free = slots.reduce((n, slot) => n + Math.max(0, slot.member.capacity - slot.used), 0);
  const limit = Math.min(input.maxAssignments ?? Number.POSITIVE_INFINITY, free);
  const due = oldestDue(state, input.now, limit);
  const events: TaskAssigned[] = [];
  for (const task of due) {
    if (events.length >= limit) break;
    const slot = leastLoaded(slots);
    if (slot === undefined) break;
    slot.used += 1;
    events.push(assigned(task, slot.member, input));
  }
  return events;
}

/**
 * The `limit` oldest due pending tasks, oldest first, read from the front of the pending order: the
 * free slots are tens, the pending tasks may be many thousands. Tasks waiting out a backoff or a
 * cancel are passed over.
 */
function oldestDue(state: TasksState, now: number, limit: number): PendingTask[] {
  const due: PendingTask[] = [];
  if (limit <= 0) return due;
  for (const task of state.indexes.pendingOldestFirst()) {
    if (!isDue(task, now)) continue;
    due.push(task);
    if (due.length >= limit) break;
  }
  return due;
}

function isDue(task: PendingTask, now: number): boolean {
  return task.notBefore <= now && task.cancelRequest === undefined;
}

/** Members that may take work, with the slots the state says they use. */
function runnerSlots(members: MembersView, state: TasksState): Slot[] {
  const slots = new Map<string, Slot>();
  for (const member of Object.values(members)) {
    if (!member.draining && member.capacity > 0) slots.set(member.node, { member, used: 0 });
  }
  for (const task of tableValues(state.indexes.active)) {
    const slot = slots.get(task.assignment.node);
    if (slot !== undefined && slot.member.incarnation === task.assignment.incarnation) slot.used += 1;
  }
  return [...slots.values()];
}

/** The slot with the lowest used/capacity ratio, then fewest used, then the smallest node id. */
function leastLoaded(slots: readonly Slot[]): Slot | undefined {
  let best: Slot | undefined;
  for (const slot of slots) {
    if (slot.used >= slot.member.capacity) continue;
    if (best === undefined || compareLoad(slot, best) < 0) best = slot;
  }
  return best;
}

function compareLoad(a: Slot, b: Slot): number {
  // used/capacity compared by cross-multiplying: exact for integers, no float ties.
  const ratio = a.used * b.member.capacity - b.used * a.member.capacity;
  if (ratio !== 0) return ratio;
  if (a.used !== b.used) return a.used - b.used;
  return a.member.node < b.member.node ? -1 : a.member.node > b.member.node ? 1 : 0;
}

function assigned(task: PendingTask, member: MemberView, input: AssignInput): TaskAssigned {
  const deadline = task.timeoutMs === undefined ? undefined : input.now + task.timeoutMs;
  const data = {
    taskId: task.taskId,
    attempt: task.attempt,
    epoch: input.epoch,
    node: member.node,
    incarnation: member.incarnation,
    ...optional('deadline', deadline),
  };
  return taskEvent<TaskAssigned>('TaskAssigned', data, leaderMeta(input));
}
