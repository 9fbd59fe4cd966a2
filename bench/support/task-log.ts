/**
 * A task log as a three-node cluster writes it, built in memory and deterministic (a seeded PRNG, a
 * simulated clock): an EpochStarted first, then rounds in which a node's API appends a batch of
 * submissions to `submissions-<node>`, the leader appends its assignments to `dispatch`, and each
 * runner appends its reports to `runner-<node>` (the ends of what it ran last round, then the starts
 * of what it was just given). Every event is decided by the domain against the state folded so far,
 * and every append goes through the ZooKeeper log's own batch encoding and decoding, so the events
 * are what `readAll` hands the task view: JSON read back, positions and revisions as that log gives.
 */
import type { MembersView } from '../../src/domain/members.ts';
import {
  assignmentsFor,
  decideAssignments,
  decideReport,
  decideSubmission,
  decideTakeover,
  evolve,
  initialState,
  runnerStream,
  submissionsStream,
  type TaskEvent,
  type TasksState,
  validateSubmission,
} from '../../src/domain/task/index.ts';
import type { LoggedEvent } from '../../src/infra/log/port.ts';
import {
  decodeBatch,
  encodeBatch,
  loggedEventsOf,
  prepareBatch,
} from '../../src/infra/log/zookeeper/batch-record.ts';
import { noop } from './workload.ts';

const NODES = ['n1', 'n2', 'n3'] as const;
const LEADER = { epoch: 1, leader: 'n1', incarnation: 1 };
/** Slots and queue per node: at most 3 × (12 + 12) = 72 tasks in flight. */
const CAPACITY = 12;
const PREFETCH = 12;
/** The API appends another batch while fewer than this many tasks wait to be assigned. */
const PENDING_LOW = 150;
const START = Date.UTC(2024, 0, 1);

/** mulberry32: a small, seeded PRNG, so the log is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A log of `tasks` tasks, each submitted, assigned, started and succeeded (4 × tasks + 1 events). */
export function taskLog(tasks: number, seed = 1): LoggedEvent[] {
  const random = prng(seed);
  const hex = (digits: number) =>
    Array.from({ length: digits }, () => Math.floor(random() * 16).toString(16)).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const log: LoggedEvent[] = [];
  const revisions = new Map<string, number>();
  let state: TasksState = initialState();
  let sequence = 0;
  let now = START;

  const append = (stream: string, events: readonly TaskEvent[]): void => {
    if (events.length === 0) return;
    const revision = (revisions.get(stream) ?? -1) + 1;
    const decoded = decodeBatch(encodeBatch(prepareBatch(stream, events, uuid), revision));
    if (!decoded.ok) throw new Error(decoded.message);
    revisions.set(stream, revision + events.length - 1);
    sequence += 1;
    for (const logged of loggedEventsOf(decoded.batch, sequence)) log.push(logged);
    for (const event of events) state = evolve(state, event);
  };

  const members: MembersView = Object.fromEntries(
    NODES.map((node) => [
      node,
      {
        node,
        incarnation: 1,
        address: `${node}:7070`,
        priority: 1,
        health: 'healthy' as const,
        draining: false,
        capacity: CAPACITY,
        load: 0,
        prefetch: PREFETCH,
      },
    ]),
  );
  append('dispatch', decideTakeover({ ...LEADER, now, members, jitter: 0 }, state));

  let submitted = 0;
  // What each runner started last round: it reports their ends this round.
  const running = new Map<string, string[]>(NODES.map((node) => [node, []]));
  while (submitted < tasks || state.indexes.active.size > 0 || state.indexes.pending.size > 0) {
    now += 1 + Math.floor(random() * 3);
    if (submitted < tasks && state.indexes.pending.size < PENDING_LOW) {
      const node = NODES[Math.floor(random() * NODES.length)] ?? 'n1';
      const size = Math.min(tasks - submitted, 20 + Math.floor(random() * 180));
      const events: TaskEvent[] = [];
      for (let i = 0; i < size; i++) {
        const body = validateSubmission(noop(submitted + i));
        if (!body.ok) throw new Error('invalid submission');
        const context = { taskId: uuid(), now, node, incarnation: 1 };
        events.push(...decideSubmission(body.value, context, state).events);
      }
      submitted += size;
      append(submissionsStream(node), events);
    }
    append('dispatch', decideAssignments({ ...LEADER, now, members }, state));
    for (const node of NODES) runnerRound(node);
  }
  return log;

  function runnerRound(node: string): void {
    const reports: TaskEvent[] = [];
    const work = assignmentsFor(node, 1, state).assignments;
    const ended = new Set(running.get(node));
    for (const assignment of work) {
      if (ended.has(assignment.taskId))
        reports.push(decideReport(assignment, { kind: 'succeeded', result: { ok: true } }, now));
    }
    const busy = work.filter((a) => a.status === 'running' && !ended.has(a.taskId)).length;
    const starting = work
      .filter((a) => a.status === 'assigned')
      .slice(0, Math.max(0, CAPACITY - busy))
      .slice(0, 1 + Math.floor(random() * CAPACITY));
    for (const assignment of starting) reports.push(decideReport(assignment, { kind: 'started' }, now));
    running.set(
      node,
      starting.map((a) => a.taskId),
    );
    append(runnerStream(node), reports);
  }
}
