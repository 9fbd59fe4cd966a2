/**
 * The scheduling policy: which pending task goes to which runner. Oldest due task first, to the
 * least loaded live member that is not draining and has room. Load is what the STATE says the node
 * holds (assigned or running attempts of its current incarnation), so a decision never counts on a
 * member's self-report that may lag; a member that just joined has zero load and is used at once.
 *
 * Room: a member holds at most `capacity + prefetch` attempts; its runner runs `capacity` of them
 * and queues the rest, starting each as a slot frees, without waiting for the leader. A task with a
 * timeout only goes into a free slot (load below capacity): its deadline counts from assignment, so
 * it must not spend it queued behind another task.
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
  const room = slots.reduce((n, slot) => n + Math.max(0, roomOf(slot.member) - slot.used), 0);
  const limit = Math.min(input.maxAssignments ?? Number.POSITIVE_INFINITY, room);
  if (limit <= 0) return [];
  const events: TaskAssigned[] = [];
  let passedOver = 0;
  // Oldest first, read from the front of the pending order: the room is tens, the pending tasks may
  // be many thousands. Tasks waiting out a backoff or a cancel are passed over.
  for (const task of state.indexes.pendingOldestFirst()) {
    if (!isDue(task, input.now)) continue;
    const timed = task.timeoutMs !== undefined;
    const slot = leastLoaded(slots, timed);
    if (slot === undefined) {
      // Only a free slot takes a task with a timeout: one without may still be queued somewhere
      // (within a bound, so that a long run of such tasks does not make each step read them all).
      if (timed && ++passedOver <= MAX_PASSED_OVER) continue;
      break;
    }
    slot.used += 1;
    events.push(assigned(task, slot.member, input));
    if (events.length >= limit) break;
  }
  return events;
}

/** Due tasks with a timeout that one decision passes over, when no slot is free, to queue those behind. */
const MAX_PASSED_OVER = 1_000;

/** The attempts a member may hold: its slots and its queue. */
function roomOf(member: MemberView): number {
  return member.capacity + (member.prefetch ?? 0);
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

/**
 * The member with room (a free slot, when `freeSlotOnly`) with the lowest used/capacity ratio, then
 * fewest used, then the smallest node id.
 */
function leastLoaded(slots: readonly Slot[], freeSlotOnly: boolean): Slot | undefined {
  let best: Slot | undefined;
  for (const slot of slots) {
    if (slot.used >= (freeSlotOnly ? slot.member.capacity : roomOf(slot.member))) continue;
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
