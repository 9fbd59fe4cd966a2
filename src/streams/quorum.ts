/**
 * The quorum part of one incarnation: this node's member znode, the members view, the election and
 * the observed leader, all journaled and folded. Ends (and withdraws its znodes) when unsubscribed.
 */
import { concat, defer, interval, merge, type Observable, type SchedulerLike } from 'rxjs';
import {
  distinctUntilChanged,
  filter,
  ignoreElements,
  map,
  switchMap,
  tap,
  throttleTime,
} from 'rxjs/operators';
import type { MemberView } from '../domain/members.ts';
import { type NodeState, recordEvent } from '../domain/node/index.ts';
import { ErrorCodes, hasCode } from '../errors.ts';
import { ensureSharedTop, type ZooKeeperSession } from '../infra/zookeeper/index.ts';
import type { ClusterPaths } from './cluster-paths.ts';
import { candidate$, leader$ } from './election.ts';
import { members$, publishMember$ } from './membership.ts';
import type { NodeStore } from './node-store.ts';

export interface QuorumSelf {
  readonly node: string;
  readonly address: string;
  readonly priority: number;
  readonly capacity: number;
  readonly prefetch: number;
}

export interface QuorumDeps {
  readonly zk: ZooKeeperSession;
  readonly paths: ClusterPaths;
  readonly store: NodeStore;
  readonly scheduler: SchedulerLike;
  readonly self: QuorumSelf;
  /** Runner facts the member znode publishes (draining, load); constant until the runner exists. */
  readonly runnerView$: Observable<{ readonly draining: boolean; readonly load: number }>;
  /** How often leadership is reviewed besides on every change (cooldowns end by time). */
  readonly reviewIntervalMs: number;
}

const inElection = (state: NodeState) =>
  state.role.status === 'joining' || state.role.status === 'candidate' || state.role.status === 'leader';

/** The quorum streams of one incarnation; emits nothing. */
export function quorum$({
  zk,
  paths,
  store,
  scheduler,
  self,
  runnerView$,
  reviewIntervalMs,
}: QuorumDeps): Observable<never> {
  const now = () => scheduler.now();

  const view$ = store.state$.pipe(
    map((state) => ({ incarnation: state.incarnation, health: state.health.status })),
    distinctUntilChanged((a, b) => a.incarnation === b.incarnation && a.health === b.health),
    switchMap(({ incarnation, health }) =>
      runnerView$.pipe(map((runner): MemberView => ({ ...self, incarnation, health, ...runner }))),
    ),
    distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
    // Load changes with every task: publish at most every 500 ms (the latest view), so that busy
    // runners do not make every node journal a member view per task.
    throttleTime(500, scheduler, { leading: true, trailing: true }),
  );

  // Watches of a session the node has given up (or closed) describe nothing it may act on.
  const live = () => store.current().session.status !== 'lost' && store.current().session.status !== 'closed';
  const observeMembers$ = members$(zk, paths).pipe(
    filter(live),
    tap((members) =>
      store.record([recordEvent(store.current(), now(), 'MembersObserved', { members: [...members] })]),
    ),
  );

  const observeLeader$ = leader$(zk, paths).pipe(
    filter(live),
    tap((leader) =>
      store.record([
        recordEvent(store.current(), now(), 'LeaderObserved', {
          leader: leader?.node ?? null,
          epoch: leader?.epoch ?? null,
        }),
      ]),
    ),
  );

  const campaign$ = store.state$.pipe(
    map(inElection),
    distinctUntilChanged(),
    switchMap((active) =>
      active
        ? candidate$(zk, paths, {
            node: self.node,
            incarnation: store.current().incarnation,
            address: self.address,
          }).pipe(
            tap((progress) => {
              const state = store.current();
              store.record([
                progress.kind === 'joined'
                  ? recordEvent(state, now(), 'ElectionJoined', { sequence: progress.sequence })
                  : recordEvent(state, now(), 'LeadershipAcquired', { epoch: progress.epoch }),
              ]);
            }),
          )
        : [],
    ),
  );

  const review$ = merge(
    store.state$.pipe(
      map((s) => [s.members, s.health.status, s.role.status, s.session.status] as const),
      distinctUntilChanged((a, b) => a.every((x, i) => x === b[i])),
    ),
    interval(reviewIntervalMs, scheduler),
  ).pipe(
    tap(() => store.dispatch({ type: 'ReviewLeadership', now: now(), members: store.current().members })),
  );

  return concat(
    defer(() => ensureSharedTop(zk, paths.root)).pipe(ignoreElements()),
    merge(publishMember$(zk, paths, view$), observeMembers$, observeLeader$, campaign$, review$),
  ).pipe(ignoreElements());
}

/** Deletes this node's leader, candidate and member znodes while the session lives (teardown's quorum-leave). */
export async function leaveQuorum(
  zk: ZooKeeperSession,
  paths: ClusterPaths,
  state: NodeState,
): Promise<void> {
  const removals: Promise<unknown>[] = [];
  if (state.role.status === 'leader') {
    const leader = await zk.getData(paths.leader).catch(() => null);
    if (leader !== null && leader.stat.ephemeralOwner === zk.credentials().sessionId) {
      removals.push(zk.remove(paths.leader, leader.stat.version));
    }
  }
  if (state.role.status === 'candidate' || state.role.status === 'leader') {
    const sequence = String(state.role.sequence).padStart(10, '0');
    const own = (await zk.getChildren(paths.election))?.children.find((name) => name.endsWith(sequence));
    if (own !== undefined) removals.push(zk.remove(`${paths.election}/${own}`));
  }
  removals.push(zk.remove(paths.member(state.config.node)));
  const results = await Promise.allSettled(removals);
  const failed = results.find((r) => r.status === 'rejected' && !isNoNode(r.reason));
  if (failed?.status === 'rejected') throw failed.reason;
}

function isNoNode(error: unknown): boolean {
  return hasCode(error, ErrorCodes.ZK_NO_NODE);
}
