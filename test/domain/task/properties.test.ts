import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Assignment,
  decideAssignments,
  decideMembersChanged,
  decideTick,
  evolve,
  getTask,
  initialState,
  isActive,
  isFinished,
  isRetryable,
  isUnfinished,
  type LeaderContext,
  listTasks,
  parseTaskEvent,
  TASK_STATUSES,
  type Table,
  type Task,
  TaskAnomalies,
  type TaskEvent,
  TaskEventStreams,
  type TasksState,
} from '../../../src/domain/task/index.ts';
import { tableGet, tableValues } from '../../../src/domain/task/table.ts';
import { historyArb, NODES, TASK_IDS } from './arbitraries.ts';
import { member, membersOf, T0 } from './fixtures.ts';

const runs = { numRuns: 300 };

/** Every (state before, event, state after) of a history. */
function steps(events: readonly TaskEvent[]): { before: TasksState; event: TaskEvent; after: TasksState }[] {
  const out = [];
  let before = initialState();
  for (const event of events) {
    const after = evolve(before, event);
    out.push({ before, event, after });
    before = after;
  }
  return out;
}

const isReport = (event: TaskEvent) => TaskEventStreams[event.type] === 'runner';

function matches(assignment: Assignment, event: TaskEvent): boolean {
  const data = event.data as Partial<Assignment>;
  return (
    data.attempt === assignment.attempt &&
    data.epoch === assignment.epoch &&
    data.node === assignment.node &&
    data.incarnation === assignment.incarnation
  );
}

describe('over any plausible history', () => {
  it('a task never moves from one runner to another without first leaving assigned/running', () => {
    fc.assert(
      fc.property(historyArb(), (events) => {
        for (const { before, after } of steps(events)) {
          for (const taskId of TASK_IDS) {
            const was = getTask(before, taskId);
            const is = getTask(after, taskId);
            if (was && is && isActive(was) && isActive(is)) expect(is.assignment).toEqual(was.assignment);
          }
        }
      }),
      runs,
    );
  });

  it('a report from anything but the current assignment changes no task and is recorded as a zombie write', () => {
    fc.assert(
      fc.property(historyArb(), (events) => {
        for (const { before, event, after } of steps(events)) {
          if (!isReport(event)) continue;
          const task = getTask(before, (event.data as { taskId: string }).taskId);
          if (task === undefined || (isActive(task) && matches(task.assignment, event))) continue;
          expect(after.tasks).toBe(before.tasks);
          expect(after.anomalies.at(-1)?.kind).toBe(
            task ? TaskAnomalies.zombieWrite : TaskAnomalies.unknownTask,
          );
        }
      }),
      runs,
    );
  });

  it('a dispatcher decision from an older epoch changes no task', () => {
    fc.assert(
      fc.property(historyArb(), (events) => {
        for (const { before, event, after } of steps(events)) {
          if (TaskEventStreams[event.type] !== 'dispatch' || event.type === 'EpochStarted') continue;
          if ((event.data as { epoch: number }).epoch >= before.epoch) continue;
          expect(after.tasks).toBe(before.tasks);
          expect(after.anomalies.at(-1)?.kind).toBe(TaskAnomalies.zombieWrite);
        }
      }),
      runs,
    );
  });

  it('epochs never go back', () => {
    fc.assert(
      fc.property(historyArb(), (events) => {
        for (const { before, after } of steps(events))
          expect(after.epoch).toBeGreaterThanOrEqual(before.epoch);
      }),
      runs,
    );
  });

  it('an event it cannot apply leaves the tasks as they were (the same object)', () => {
    fc.assert(
      fc.property(historyArb(), (events) => {
        for (const { before, after } of steps(events)) {
          if (after.anomalyCount > before.anomalyCount) {
            expect(after.tasks).toBe(before.tasks);
            expect(after.epoch).toBe(before.epoch);
          }
        }
      }),
      runs,
    );
  });

  it('keeps every index in step with the tasks: each task in the index of its status, counts exact', () => {
    fc.assert(
      fc.property(historyArb(), (events) => {
        for (const { after } of steps(events)) {
          const tasks = [...tableValues(after.tasks)];
          const { indexes } = after;
          const idsOf = (table: Table<Task>) => [...tableValues(table)].map((t) => t.taskId).sort();
          const idsWhere = (test: (task: Task) => boolean) =>
            tasks
              .filter(test)
              .map((t) => t.taskId)
              .sort();
          expect(idsOf(indexes.pending)).toEqual(idsWhere((t) => t.status === 'pending'));
          expect([...indexes.pendingOldestFirst()].map((t) => t.seq)).toEqual(
            tasks
              .filter((t) => t.status === 'pending')
              .map((t) => t.seq)
              .sort((a, b) => a - b),
          );
          expect(idsOf(indexes.active)).toEqual(idsWhere(isActive));
          expect(idsOf(indexes.retryable)).toEqual(idsWhere(isRetryable));
          expect([...indexes.finishedIds()].sort()).toEqual(idsWhere(isFinished));
          expect(idsOf(indexes.cancelRequested)).toEqual(
            idsWhere((t) => isUnfinished(t) && t.cancelRequest !== undefined),
          );
          for (const table of [indexes.pending, indexes.active, indexes.retryable, indexes.cancelRequested]) {
            for (const task of tableValues(table as Table<Task>))
              expect(task).toBe(tableGet(after.tasks, task.taskId));
          }
          for (const status of TASK_STATUSES) {
            expect(indexes.counts[status]).toBe(tasks.filter((t) => t.status === status).length);
          }
        }
      }),
      runs,
    );
  });

  it('retires exactly the finished tasks whose retention is over, soonest due first', () => {
    fc.assert(
      fc.property(
        historyArb(),
        fc.integer({ min: -1000, max: 100_000 }),
        fc.nat(5_000),
        (events, ahead, keep) => {
          const state = events.reduce(evolve, initialState());
          const now = T0 + ahead;
          const finished = [...tableValues(state.tasks)].filter(isFinished);
          const due = finished
            .filter((t) => t.finishedAt + (t.retentionMs ?? keep) <= now)
            .map((t) => t.taskId)
            .sort();
          expect([...state.indexes.retirable(now, keep)].sort()).toEqual(due);
        },
      ),
      runs,
    );
  });

  it('folding a prefix, then the rest, equals folding the whole; no state is mutated', () => {
    fc.assert(
      fc.property(historyArb(), fc.nat(), (events, cut) => {
        const at = events.length === 0 ? 0 : cut % (events.length + 1);
        const prefix = events.slice(0, at).reduce(evolve, initialState());
        const snapshot = structuredClone(prefix);
        const whole = events.reduce(evolve, initialState());
        expect(events.slice(at).reduce(evolve, prefix)).toEqual(whole);
        expect(prefix).toEqual(snapshot);
      }),
      runs,
    );
  });

  it('never records an evolve failure, and every event it is given survives a JSON round trip through the parser', () => {
    fc.assert(
      fc.property(historyArb(), (events) => {
        const state = events.reduce(evolve, initialState());
        expect(state.anomalies.filter((a) => a.kind === TaskAnomalies.evolveFailed)).toEqual([]);
        for (const event of events) {
          const parsed = parseTaskEvent(JSON.parse(JSON.stringify(event)), {});
          expect(parsed).toEqual({ ok: true, event: { ...event, location: {} } });
        }
      }),
      runs,
    );
  });
});

describe('decisions against any plausible state', () => {
  const members = membersOf(
    member('n1', { capacity: 1 }),
    member('n2', { capacity: 2, incarnation: 2 }),
    member('n3', { draining: true }),
  );

  /** The folded history, and the context of its current leader (if any). */
  const leaderOf = (state: TasksState, now: number): LeaderContext | undefined =>
    state.leader && {
      now,
      epoch: state.epoch,
      leader: state.leader.node,
      incarnation: state.leader.incarnation,
    };

  it('decide only events that the fold applies without an anomaly', () => {
    fc.assert(
      fc.property(
        historyArb(),
        fc.nat({ max: 100_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true }),
        (events, dt, jitter) => {
          let state = events.reduce(evolve, initialState());
          const leader = leaderOf(state, T0 + 400_000 + dt);
          if (leader === undefined) return;
          const anomalies = state.anomalyCount;
          for (const decide of [
            (s: TasksState) => decideMembersChanged({ ...leader, members, jitter }, s),
            (s: TasksState) => decideTick({ ...leader, jitter }, s),
            (s: TasksState) => decideAssignments({ ...leader, members }, s),
          ]) {
            state = decide(state).reduce(evolve, state);
          }
          const added = state.anomalyCount - anomalies;
          expect(state.anomalies.slice(state.anomalies.length - added)).toEqual([]);
        },
      ),
      runs,
    );
  });

  it('never fill a member beyond its capacity, nor use a draining, lost or replaced one', () => {
    /** Assigned or running attempts of each member's current incarnation. */
    const load = (state: TasksState) =>
      Object.fromEntries(
        NODES.map((node) => [
          node,
          listTasks(state, { node, status: ['assigned', 'running'] }).filter(
            (task) => task.assignment?.incarnation === members[node]?.incarnation,
          ).length,
        ]),
      );
    fc.assert(
      fc.property(historyArb(), (events) => {
        const state = events.reduce(evolve, initialState());
        const leader = leaderOf(state, T0 + 10 ** 7);
        if (leader === undefined) return;
        const before = load(state);
        const decided = decideAssignments({ ...leader, members }, state);
        const after = load(decided.reduce(evolve, state));
        for (const { data } of decided) {
          const view = members[data.node];
          expect(view?.draining).toBe(false);
          expect(data.incarnation).toBe(view?.incarnation);
        }
        for (const node of NODES) {
          if ((after[node] ?? 0) > (before[node] ?? 0)) {
            expect(after[node]).toBeLessThanOrEqual(members[node]?.capacity ?? 0);
          }
        }
      }),
      runs,
    );
  });

  it('with a prefetch, fill a member up to capacity + prefetch, and a task with a timeout only into a free slot', () => {
    const prefetching = membersOf(
      member('n1', { capacity: 1, prefetch: 2 }),
      member('n2', { capacity: 2, incarnation: 2, prefetch: 1 }),
      member('n3', { draining: true, prefetch: 5 }),
    );
    const held = (state: TasksState, node: string) =>
      listTasks(state, { node, status: ['assigned', 'running'] }).filter(
        (task) => task.assignment?.incarnation === prefetching[node]?.incarnation,
      ).length;
    fc.assert(
      fc.property(historyArb(), (events) => {
        let state = events.reduce(evolve, initialState());
        const leader = leaderOf(state, T0 + 10 ** 7);
        if (leader === undefined) return;
        const before = Object.fromEntries(NODES.map((node) => [node, held(state, node)]));
        for (const event of decideAssignments({ ...leader, members: prefetching }, state)) {
          const view = prefetching[event.data.node];
          expect(view?.draining).toBe(false);
          // Each assignment in turn: a timed task found its member below capacity.
          if (getTask(state, event.data.taskId)?.timeoutMs !== undefined) {
            expect(held(state, event.data.node)).toBeLessThan(view?.capacity ?? 0);
          }
          state = evolve(state, event);
        }
        for (const node of NODES) {
          const view = prefetching[node];
          if (held(state, node) > (before[node] ?? 0)) {
            expect(held(state, node)).toBeLessThanOrEqual((view?.capacity ?? 0) + (view?.prefetch ?? 0));
          }
        }
      }),
      runs,
    );
  });
});

describe('evolve on garbage', () => {
  it('never throws on arbitrary values passed as events', () => {
    fc.assert(
      fc.property(fc.array(fc.anything(), { maxLength: 20 }), (garbage) => {
        const state = garbage.reduce<TasksState>((s, e) => evolve(s, e as TaskEvent), initialState());
        expect(state.anomalyCount).toBe(garbage.length);
      }),
    );
  });

  it('never throws and never fails inside on any event the parser accepts', () => {
    const types = Object.keys(TaskEventStreams);
    const value = fc.oneof(
      fc.string({ maxLength: 3 }),
      fc.integer({ min: -2, max: 5 }),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
    );
    const data = fc.record(
      {
        taskId: fc.constantFrom(...TASK_IDS, ''),
        attempt: value,
        epoch: value,
        node: fc.constantFrom(...NODES),
        incarnation: value,
        type: fc.string(),
        payload: fc.jsonValue(),
        maxAttempts: value,
        backoff: fc.record({ initialMs: value, multiplier: value, maxMs: value }),
        leader: fc.constantFrom(...NODES),
        reason: fc.string(),
        notBefore: value,
        progress: value,
        retryable: fc.boolean(),
        error: fc.record({ message: fc.string() }),
        idempotencyKey: fc.constantFrom('k1', 'k2'),
      },
      { requiredKeys: [] },
    );
    const raw = fc.record({
      type: fc.constantFrom(...types),
      version: fc.constant(1),
      data,
      meta: fc.record({ node: fc.constantFrom(...NODES), incarnation: fc.nat(3), at: fc.integer() }),
    });
    fc.assert(
      fc.property(fc.array(raw, { maxLength: 40 }), (records) => {
        let state = initialState();
        for (const record of records) {
          const parsed = parseTaskEvent(record, {});
          if (parsed.ok) state = evolve(state, parsed.event);
        }
        expect(state.anomalies.filter((a) => a.kind === TaskAnomalies.evolveFailed)).toEqual([]);
      }),
      runs,
    );
  });
});
