/**
 * The dispatcher: on the leader only. It folds the log, fences its term with EpochStarted appended at
 * the revision it read, reconciles the tasks of nodes that are gone, then keeps assigning and ticking.
 * Every append names the revision it expects, so a deposed leader (paused, partitioned) fails its next
 * append and stops at once, writing nothing past a newer epoch (DESIGN §3).
 */
import { defer, EMPTY, firstValueFrom, interval, merge, type Observable, type SchedulerLike } from 'rxjs';
import {
  distinctUntilChanged,
  exhaustMap,
  filter,
  ignoreElements,
  map,
  switchMap,
  takeWhile,
  tap,
} from 'rxjs/operators';
import { type NodeState, recordEvent } from '../domain/node/index.ts';
import {
  DISPATCH_STREAM,
  decideAssignments,
  decideMembersChanged,
  decideTakeover,
  decideTick,
  type LeaderContext,
  type TaskEvent,
  type TasksState,
} from '../domain/task/index.ts';
import { ErrorCodes, hasCode } from '../errors.ts';
import { type EventLog, isExpectedRevisionConflict } from '../infra/log/port.ts';
import { isRetryableZkError } from '../infra/zookeeper/index.ts';
import { createDecisionState } from './decision-state.ts';
import type { NodeStore } from './node-store.ts';
import type { TaskView } from './task-view.ts';

export interface DispatcherDeps {
  readonly log: EventLog;
  readonly view: TaskView;
  readonly store: NodeStore;
  readonly scheduler: SchedulerLike;
  /** A number in [0, 1): backoff jitter comes into the domain as data. */
  readonly random: () => number;
  readonly tickMs: number;
  /** At most this many assignments per append (keeps a batch well under the log's limit). */
  readonly maxAssignments: number;
  readonly onAppend?: (events: number, seconds: number) => void;
  readonly onAssigned?: (count: number) => void;
  readonly onError?: (error: unknown) => void;
}

interface Term {
  readonly epoch: number;
  readonly incarnation: number;
}

const termOf = (state: NodeState): Term | null =>
  state.role.status === 'leader' ? { epoch: state.role.epoch, incarnation: state.incarnation } : null;

/**
 * Can the leader act now: its services running (a teardown, whatever started it, a journal failure
 * included, ends all deciding at once, not at the dispatcher's teardown step), a connected session
 * (not suspended) and a member view that includes itself?
 */
function canAct(state: NodeState): boolean {
  return (
    state.lifecycle.status === 'running' &&
    state.session.status === 'connected' &&
    state.members[state.config.node] !== undefined
  );
}

/** Runs the dispatcher for each leadership term this node holds; emits nothing. */
export function dispatcher$(deps: DispatcherDeps): Observable<never> {
  return deps.store.state$.pipe(
    map(termOf),
    distinctUntilChanged((a, b) => a?.epoch === b?.epoch && a?.incarnation === b?.incarnation),
    switchMap((term) => (term === null ? EMPTY : runTerm(deps, term))),
    ignoreElements(),
  );
}

function runTerm(deps: DispatcherDeps, term: Term): Observable<unknown> {
  const { store, view, scheduler } = deps;
  const self = store.current().config.node;
  const context = (): LeaderContext => ({
    now: scheduler.now(),
    epoch: term.epoch,
    leader: self,
    incarnation: term.incarnation,
  });
  let fenced = false;

  // This term's appends that the fold has not read back yet. A step decides on the fold plus these
  // (decision-state.ts), so it need not wait for its own append to come back through the log before
  // the next step; the fold stays the log's alone. The next append expects the revision of this
  // term's last one: if anyone else has appended to dispatch since, it fails on the fence as before.
  const decision = createDecisionState(view);
  let lastRevision: number | undefined;
  const decisionState = (): TasksState => decision.current();

  /** Appends to the dispatch stream at the revision this term last wrote (or the fold knows). */
  const append = async (events: readonly TaskEvent[], waitForFold = false): Promise<void> => {
    if (events.length === 0 || fenced) return;
    const started = performance.now();
    try {
      // After a failed append, the revision comes from the fold again: once it has read this term's
      // earlier appends back, so that it counts them.
      const last = decision.lastUnfolded();
      if (lastRevision === undefined && last !== undefined) await view.reached(last);
      const expected = lastRevision ?? view.revision(DISPATCH_STREAM);
      const result = await deps.log.append(DISPATCH_STREAM, events, expected);
      deps.onAppend?.(events.length, (performance.now() - started) / 1000);
      lastRevision = result.nextExpectedRevision;
      decision.add(result.position, events);
      if (waitForFold) await view.reached(result.position);
    } catch (error) {
      // The outcome of a failed append may be unknown: the next one takes its revision from the fold.
      lastRevision = undefined;
      if (!isExpectedRevisionConflict(error)) throw error;
      // Someone else appended to dispatch: a newer leader exists. Stop now, write nothing more.
      fenced = true;
      store.record([recordEvent(store.current(), scheduler.now(), 'LeadershipLost', { reason: 'fenced' })]);
    }
  };

  /** A passing failure (log unavailable, ZooKeeper timeout) waits for the next trigger; others are fatal. */
  const tolerant = async (work: () => Promise<void>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      if (!isPassing(error)) throw error;
      deps.onError?.(error);
    }
  };

  const takeover = async (): Promise<void> => {
    await firstValueFrom(
      merge(view.state$, store.state$).pipe(filter(() => view.caughtUp() && canAct(store.current()))),
    );
    if (view.current().epoch > term.epoch) {
      // The log already holds a newer term: this one is over before it began.
      fenced = true;
      store.record([recordEvent(store.current(), scheduler.now(), 'LeadershipLost', { reason: 'fenced' })]);
      return;
    }
    const members = store.current().members;
    // The fence must be folded before this term decides anything (see step): wait for it.
    await append(decideTakeover({ ...context(), members, jitter: deps.random() }, view.current()), true);
  };

  // Reconcile and tick each read every task: they run when their inputs changed (which runners are
  // members: node and incarnation; a load report changes neither) or time passed (every tickMs), not
  // on every fold event. Assignments are decided at every step.
  let reconciled: string | undefined;
  let tickedAt = Number.NEGATIVE_INFINITY;

  const step = async (): Promise<void> => {
    const node = store.current();
    if (fenced || !canAct(node) || termOf(node)?.epoch !== term.epoch) return;
    // Until the fence is folded the domain decides nothing for this term: take over (again) first.
    if (view.current().epoch !== term.epoch) return takeover();
    const members = node.members;
    const now = scheduler.now();
    const tickDue = now - tickedAt >= deps.tickMs;
    const runners = runnersOf(members);
    if (tickDue || runners !== reconciled) {
      const state = decisionState();
      await append([
        ...decideMembersChanged({ ...context(), members, jitter: deps.random() }, state),
        ...(tickDue ? decideTick({ ...context(), jitter: deps.random() }, state) : []),
      ]);
      // Only once appended: a passing failure leaves both due for the next step.
      reconciled = runners;
      if (tickDue) tickedAt = now;
    }
    const assigned = decideAssignments(
      { ...context(), members, maxAssignments: deps.maxAssignments },
      decisionState(),
    );
    await append(assigned);
    if (!fenced && assigned.length > 0) deps.onAssigned?.(assigned.length);
  };

  // Every batch the fold announces is a trigger (task-view.ts announces a batch once), and so are a
  // new member view and the tick. A step decides on the whole state, so triggers that arrive during a
  // step make one more step right after it: none is lost, there is never more than one step in
  // flight, and an idle dispatcher reacts at once, not a timer later.
  let dirty = false;
  const steps = async (): Promise<void> => {
    while (dirty && !fenced) {
      dirty = false;
      await tolerant(step);
    }
  };
  const triggers = merge(
    view.state$,
    store.state$.pipe(
      map((s) => s.members),
      distinctUntilChanged(),
    ),
    interval(deps.tickMs, scheduler),
  ).pipe(
    tap(() => {
      dirty = true;
    }),
  );
  return defer(() => tolerant(takeover)).pipe(
    switchMap(() => triggers),
    takeWhile(() => !fenced),
    exhaustMap(() => defer(steps)),
  );
}

/** The runners a member view names, as one comparable string: "n1@3 n2@1". */
function runnersOf(members: NodeState['members']): string {
  return Object.values(members)
    .map((m) => `${m.node}@${m.incarnation}`)
    .sort()
    .join(' ');
}

function isPassing(error: unknown): boolean {
  return hasCode(error, ErrorCodes.LOG_UNAVAILABLE) || isRetryableZkError(error);
}
