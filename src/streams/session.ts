/**
 * The ZooKeeper session as node events: the adapter's state changes become journaled SessionSignals,
 * and a local suspicion timer turns a disconnect that lasts too long into a lost session, before the
 * server expires it and another node takes over (DESIGN §3).
 */
import { EMPTY, merge, type Observable, type SchedulerLike, timer } from 'rxjs';
import { distinctUntilChanged, filter, ignoreElements, map, switchMap, tap } from 'rxjs/operators';
import type { NodeCommand, NodeState, SessionSignal } from '../domain/node/index.ts';
import type { SessionState as ZkSessionState } from '../infra/zookeeper/index.ts';

/** What the domain should hear of an adapter state change. */
export function sessionSignalOf(zk: ZkSessionState, connectString: string): SessionSignal {
  switch (zk.state) {
    case 'connecting':
      return { kind: 'connecting', connectString };
    case 'connected':
    case 'connected-read-only':
      return {
        kind: 'connected',
        sessionId: zk.sessionId,
        negotiatedTimeoutMs: zk.negotiatedTimeoutMs,
        server: zk.server ?? 'unknown',
      };
    case 'disconnected':
      return zk.lastHeardAt === undefined
        ? { kind: 'disconnected' }
        : { kind: 'disconnected', lastHeardAt: zk.lastHeardAt };
    case 'expired':
      return { kind: 'lost', reason: 'expired' };
    case 'auth-failed':
      return { kind: 'lost', reason: 'auth-failed' };
    case 'closed':
      return { kind: 'closed' };
  }
}

/** One RecordSessionSignal command per adapter state change. */
export function sessionCommands$(
  zkState$: Observable<ZkSessionState>,
  connectString: string,
  scheduler: SchedulerLike,
): Observable<NodeCommand> {
  return zkState$.pipe(
    map((zk) => ({
      type: 'RecordSessionSignal',
      now: scheduler.now(),
      signal: sessionSignalOf(zk, connectString),
    })),
  );
}

/**
 * While the session is suspended, a CheckSessionTimer command at its deadline; a reconnect before
 * then (the state leaves 'suspended') cancels the timer.
 */
export function suspicionTimer$(
  state$: Observable<NodeState>,
  scheduler: SchedulerLike,
): Observable<NodeCommand> {
  return state$.pipe(
    map((state) => (state.session.status === 'suspended' ? state.session.deadline : null)),
    distinctUntilChanged(),
    switchMap((deadline) =>
      deadline === null
        ? EMPTY
        : timer(Math.max(0, deadline - scheduler.now()), scheduler).pipe(
            // A timer may fire a millisecond before its deadline by the wall clock: it stands for it.
            map((): NodeCommand => ({ type: 'CheckSessionTimer', now: Math.max(scheduler.now(), deadline) })),
          ),
    ),
  );
}

/**
 * The session stream of one node: adapter states and the suspicion timer, journaled and folded.
 * Emits nothing; it runs while subscribed.
 */
export function session$(
  zkState$: Observable<ZkSessionState>,
  connectString: string,
  store: {
    readonly state$: Observable<NodeState>;
    current?: () => NodeState;
    dispatch(command: NodeCommand): unknown;
  },
  scheduler: SchedulerLike,
): Observable<never> {
  return merge(
    sessionCommands$(zkState$, connectString, scheduler),
    suspicionTimer$(store.state$, scheduler),
  ).pipe(
    // Once the node has given its session up (its own suspicion timer), the abandoned client's later
    // reconnects say nothing about this node any more: only its close is journaled.
    filter(
      (command) =>
        !(givenUp(store) && command.type === 'RecordSessionSignal' && command.signal.kind !== 'closed'),
    ),
    tap((command) => store.dispatch(command)),
    ignoreElements(),
  );
}

function givenUp(store: { current?: () => NodeState }): boolean {
  return store.current?.().session.status === 'lost';
}
